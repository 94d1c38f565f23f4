using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.HandWritten;

/// <summary>
/// How the hand-written networks compute the steps an optimisation changed. <see cref="Current"/> is what the product's
/// blocks do now, so hand-written vs generated isolates the cost of the generated code; <see cref="Current"/> with one
/// switch off is what the blocks did before that optimisation, so the two in one process measure it; <see cref="Original"/>
/// has every switch off.
/// </summary>
/// <param name="BilinearUpsample">Nearest ×2 up-sampling + reflect-padded [1,2,1]⊗[1,2,1]/16 blur computed as one bilinear
/// ×2 up-sampling (align_corners false): the same numbers, without the 4×-size nearest copy, the padded copy and the
/// depthwise convolution.</param>
/// <param name="ChannelsLast">The discriminator's input and down-sampling blocks channels-last throughout, the
/// up-sampling blocks channels-last up to their batch norm and dense NCHW into GLU (as the product's MemoryLayout). Off,
/// only the convolutions read channels-last inputs (<see cref="Conv"/>: what right gradients need, never switched).</param>
/// <param name="BatchedPointwise">The attention's 1×1 convolutions as batched matrix products on the (B, C, N) view.</param>
public sealed record HandWrittenOps(bool BilinearUpsample, bool ChannelsLast, bool BatchedPointwise)
{
    /// <summary>Channels-last strides when <see cref="ChannelsLast"/> (a copy unless it has them), else <paramref name="x"/> itself.</summary>
    public Tensor Layout(Tensor x) => ChannelsLast ? AttributeGan.Models.Blocks.MemoryLayout.ChannelsLast(x) : x;

    public static HandWrittenOps Current { get; } = new(BilinearUpsample: true, ChannelsLast: true, BatchedPointwise: true);

    public static HandWrittenOps Original { get; } = new(BilinearUpsample: false, ChannelsLast: false, BatchedPointwise: false);

    /// <summary>
    /// A convolution as the product's blocks run it: a 1×1 kernel as a matrix product, a larger one on a channels-last
    /// input (libtorch's CPU kernels give wrong results otherwise on some machines; see MemoryLayout).
    /// </summary>
    public static Tensor Conv(Conv2d conv, Tensor x) =>
        conv.weight!.shape[2] == 1 && conv.weight.shape[3] == 1
            ? AttributeGan.Models.Blocks.Pointwise.Apply(conv, x)
            : conv.call(AttributeGan.Models.Blocks.MemoryLayout.ForConvolution(x));

    /// <summary>A transposed convolution of a 1×1 map (B, in) to r×r, as the matrix product it equals: (B, out, r, r).</summary>
    public static Tensor FromPoint(ConvTranspose2d up, Tensor x)
    {
        var weight = up.weight!;                                                                   // (in, out, r, r)
        var y = torch.matmul(x, weight.reshape(weight.shape[0], -1)).view(x.shape[0], weight.shape[1], weight.shape[2], weight.shape[3]);
        return up.bias is { } bias ? y + bias.view(1, -1, 1, 1) : y;
    }

    /// <summary>LeakyReLU(0.1), as every discriminator block applies it after a convolution.</summary>
    public static Tensor LeakyRelu(Tensor convolved) => F.leaky_relu(convolved, 0.1);

    /// <summary>(B, C, H, W) → (B, C, 2H, 2W), blurred when <paramref name="blurKernel"/> is given.</summary>
    public Tensor UpSample(Tensor x, Tensor? blurKernel)
    {
        if (blurKernel is null) return F.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
        if (BilinearUpsample) return F.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Bilinear, align_corners: false);
        return Blur(F.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest), blurKernel);
    }

    /// <summary>Reflect pad 1, then the depthwise binomial kernel (C, 1, 3, 3): shape preserved.</summary>
    public static Tensor Blur(Tensor x, Tensor kernel) =>
        F.conv2d(AttributeGan.Models.Blocks.MemoryLayout.ForConvolution(F.pad(x, new long[] { 1, 1, 1, 1 }, PaddingModes.Reflect)), kernel, groups: x.shape[1]);

    /// <summary>The (C, 1, 3, 3) binomial kernel, owned by the caller.</summary>
    public static Tensor BlurKernel(long channels)
    {
        using var scope = torch.NewDisposeScope();
        var taps = torch.tensor(new float[] { 1f, 2f, 1f });
        return torch.outer(taps, taps).div_(16f).reshape(1, 1, 3, 3).repeat(channels, 1, 1, 1).contiguous().MoveToOuterDisposeScope();
    }
}
