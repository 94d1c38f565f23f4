using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Channels-last ("NHWC") strides for the blocks whose operations libtorch runs faster that way on the CPU. A tensor
/// keeps its (B, C, H, W) shape either way; only the order of its elements in memory changes, so values are the same.
/// </summary>
/// <remarks>
/// Measured on the 64×64 spec's shapes (2-core AVX2 CPU, forward + backward, <c>docs/results/bench.md</c>):
/// bilinear and nearest ×2 up-sampling 4–7×, the reflect-padded depthwise blur 4.5×, 2×2 average pooling 2.5×, and
/// most convolutions 1.05–1.75× faster in channels-last; GLU's backward is 4× slower and batch norm's a little slower.
/// So up-sampling blocks run channels-last up to their batch norm and hand a dense NCHW tensor to GLU, and the
/// discriminator's input and down-sampling blocks run channels-last throughout; attention takes a dense NCHW copy,
/// on which its heads and positions are views (the whole block measured 1.1–1.2× faster so).
/// TorchSharp has no <c>memory_format</c> argument on <c>contiguous</c>/<c>to</c>: permuting to (B, H, W, C), making
/// that contiguous and permuting back gives exactly libtorch's channels-last strides, with autograd through it.
/// </remarks>
public static class MemoryLayout
{
    /// <summary>Whether <paramref name="x"/> (4-D) already has channels-last strides (H·W·C, 1, W·C, C).</summary>
    public static bool IsChannelsLast(Tensor x)
    {
        if (x.dim() != 4)
        {
            return false;
        }
        long c = x.shape[1], w = x.shape[3];
        var strides = x.stride();
        return strides[1] == 1 && strides[3] == c && strides[2] == w * c && (x.shape[0] == 1 || strides[0] == x.shape[2] * w * c);
    }

    /// <summary>
    /// (B, C, H, W) with channels-last strides: <paramref name="x"/> itself when it has them, else a copy.
    /// Other ranks are returned unchanged.
    /// </summary>
    public static Tensor ChannelsLast(Tensor x) =>
        x.dim() != 4 || IsChannelsLast(x) ? x : x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
}
