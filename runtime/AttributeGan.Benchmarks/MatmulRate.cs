using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>The machine's practical float32 peak: torch.matmul of two n×n matrices, 2n³ FLOPs, with libtorch's current thread count.</summary>
public sealed record MatmulResult(int Size, int Threads, TimingStats Time, double Gflops);

public static class MatmulRate
{
    /// <summary>
    /// Measures the median rate over <paramref name="repeats"/> products after warm-up. 2048 is large enough for MKL to
    /// reach its steady rate on a few cores and small enough (48 MiB for three matrices) to stay quick.
    /// </summary>
    public static MatmulResult Measure(int size = 2048, int repeats = 10)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var generator = new torch.Generator(1234);
        var a = randn(new long[] { size, size }, generator: generator);             // (n, n)
        var b = randn(new long[] { size, size }, generator: generator);             // (n, n)
        var time = Timing.Repeat(() => torch.matmul(a, b).Dispose(), warmup: 2, count: repeats); // (n, n)
        double flops = 2.0 * size * size * (double)size;
        return new MatmulResult(size, get_num_threads(), time, flops / (time.MedianMs * 1e-3) / 1e9);
    }
}

/// <summary>
/// One matmul of <see cref="MatmulRate"/>'s size kept ready, to read the machine's rate between steps of other work. On a
/// shared VM the rate drifts by tens of per cent within minutes; a rate read next to each training step is the limit
/// that step actually ran against.
/// </summary>
public sealed class MatmulProbe : IDisposable
{
    private readonly Tensor a;
    private readonly Tensor b;

    public MatmulProbe(int size = 2048)
    {
        Size = size;
        var generator = new torch.Generator(4321);
        a = randn(new long[] { size, size }, generator: generator).DetachFromDisposeScope();    // (n, n)
        b = randn(new long[] { size, size }, generator: generator).DetachFromDisposeScope();    // (n, n)
        Measure();                                                                             // warm-up
    }

    public int Size { get; }

    /// <summary>One timed product: GFLOP/s now.</summary>
    public double Measure()
    {
        using var noGrad = no_grad();
        double ms = Timing.Milliseconds(() => torch.matmul(a, b).Dispose());
        return 2.0 * Size * Size * (double)Size / (ms * 1e-3) / 1e9;
    }

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
    }
}
