using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Where the blocks decide the memory order of their tensors, and why. A tensor keeps its (B, C, H, W) shape either
/// way; only the order of its elements in memory changes, so values are the same.
/// </summary>
/// <remarks>
/// <para>
/// <b>Correctness: every convolution larger than 1×1 reads a channels-last input</b> (<see cref="ForConvolution"/>),
/// and every 1×1 convolution is a matrix product (<see cref="Pointwise"/>). libtorch 2.10's bundled oneDNN (3.7.1)
/// computes wrong results on some x86-64 CPUs (measured on AVX-512 and AVX2 EPYC virtual machines whose CPUID reports
/// no cache sizes): the input gradient of an NCHW float32 convolution whose output channels are not a multiple of 16
/// and whose kernel is larger than 1×1 (one thread: the sum over only some kernel positions; several: stale memory,
/// NaN at times), and the forward values of channels-last 1×1 convolutions with 512 output channels. The
/// channels-last path of the larger kernels is right, at no measurable cost, and a matrix product does not use
/// oneDNN's convolution kernels at all. A transposed convolution runs on the backward-data kernel, so the one the
/// generator starts with (a 1×1 map to r×r) is computed as the matrix product it equals (<see cref="InitialBlock"/>).
/// The run-time numerics check (<see cref="Numerics.NumericsCheck"/>) holds every block against a float64 reference,
/// which libtorch computes without oneDNN, so a defect in another kernel, CPU or libtorch version is caught too.
/// </para>
/// <para>
/// <b>Speed.</b> Beyond that rule each block runs in the layout its operations prefer (measurements in
/// <c>docs/results/bench.md</c>): up-sampling, blur, pooling and most convolutions are faster channels-last, GLU's
/// backward and the attention block are faster on dense NCHW. So up-sampling blocks run channels-last up to their batch
/// norm and hand a dense NCHW tensor to GLU, the discriminator's input and down-sampling blocks run channels-last
/// throughout, and attention takes a dense NCHW copy, on which its heads and positions are views.
/// </para>
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

    /// <summary>
    /// The input every convolution with a kernel larger than 1×1 is given: channels-last, the layout whose gradients
    /// libtorch's CPU kernels compute right (see the remarks). (B, C, H, W) → (B, C, H, W), NHWC strides.
    /// </summary>
    public static Tensor ForConvolution(Tensor x) => ChannelsLast(x);
}
