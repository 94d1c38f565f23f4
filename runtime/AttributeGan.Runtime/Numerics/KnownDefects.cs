using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Blocks;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Numerics;

/// <summary>One backend defect reproduced with plain libtorch operations, and how the blocks avoid it.</summary>
/// <param name="Name">What the operation is.</param>
/// <param name="Workaround">What the blocks do instead.</param>
/// <param name="RelativeError">The largest relative error against float64 over the repeats (NaN if a result was not finite).</param>
public sealed record DefectProbe(string Name, string Workaround, double RelativeError)
{
    public bool Present => !(RelativeError <= Float64Reference.Tolerance);
}

/// <summary>
/// The defects of libtorch 2.10's oneDNN found on this project's machines, each reproduced in isolation (no project
/// code) against the float64 result. Whether they are present says what the machine's kernels do; the project's blocks
/// avoid all of them (see <see cref="MemoryLayout"/>), and <see cref="NumericsCheck"/> checks the blocks themselves.
/// </summary>
public static class KnownDefects
{
    /// <summary>Runs every probe <paramref name="repeats"/> times (multi-threaded defects come and go) at the current thread count.</summary>
    public static IReadOnlyList<DefectProbe> Probe(int repeats = 3) => new[]
    {
        new DefectProbe("NCHW convolution 16→3, 3×3: input gradient", "channels-last input (MemoryLayout.ForConvolution)",
            Worst(repeats, seed => ConvolutionInputGradient(seed))),
        new DefectProbe("channels-last 1×1 convolution 256→512: forward", "matrix product (Pointwise.Apply)",
            Worst(repeats, seed => PointwiseForward(seed))),
        new DefectProbe("transposed convolution of a 1×1 map, 5→10, 4×4: forward", "matrix product (InitialBlock)",
            Worst(repeats, seed => TransposedFromPoint(seed))),
    };

    private static double Worst(int repeats, Func<int, double> probe)
    {
        var errors = Enumerable.Range(0, repeats).Select(probe).ToArray();
        return errors.Any(e => !double.IsFinite(e)) ? double.NaN : errors.Max();
    }

    private static double ConvolutionInputGradient(int seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new torch.Generator((ulong)seed + 1);
        var x = randn(new long[] { 4, 16, 32, 32 }, generator: generator).requires_grad_(true);     // (B, 16, 32, 32), NCHW
        var w = randn(new long[] { 3, 16, 3, 3 }, generator: generator).mul(Scalars.Of(0.1));       // (3, 16, 3, 3)
        var y = nn.functional.conv2d(x, w, padding: new long[] { 1, 1 });                           // (B, 3, 32, 32)
        var upstream = randn(y.shape, generator: generator);
        y.backward(new[] { upstream });
        // The input gradient is the convolution of the upstream gradient with the flipped, transposed weight.
        var reference = nn.functional.conv2d(upstream.to(ScalarType.Float64), w.to(ScalarType.Float64).flip(2, 3).transpose(0, 1),
            padding: new long[] { 1, 1 });                                                          // (B, 16, 32, 32)
        return Float64Reference.RelativeError(x.grad!, reference);
    }

    private static double PointwiseForward(int seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new torch.Generator((ulong)seed + 1);
        var x = MemoryLayout.ChannelsLast(randn(new long[] { 2, 256, 16, 16 }, generator: generator)); // (B, 256, 16, 16), NHWC
        var w = randn(new long[] { 512, 256, 1, 1 }, generator: generator).mul(Scalars.Of(0.06));    // (512, 256, 1, 1)
        var y = nn.functional.conv2d(x, w);                                                          // (B, 512, 16, 16)
        var reference = nn.functional.conv2d(x.to(ScalarType.Float64), w.to(ScalarType.Float64));
        return Float64Reference.RelativeError(y, reference);
    }

    private static double TransposedFromPoint(int seed)
    {
        using var scope = NewDisposeScope();
        using var generator = new torch.Generator((ulong)seed + 1);
        var x = randn(new long[] { 4, 5, 1, 1 }, generator: generator);                              // (B, 5, 1, 1)
        var w = randn(new long[] { 5, 10, 4, 4 }, generator: generator);                             // (5, 10, 4, 4)
        var y = nn.functional.conv_transpose2d(x, w);                                                // (B, 10, 4, 4)
        var reference = torch.matmul(x.flatten(1).to(ScalarType.Float64), w.flatten(1).to(ScalarType.Float64)).view(4, 10, 4, 4);
        return Float64Reference.RelativeError(y, reference);
    }
}
