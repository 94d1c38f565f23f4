using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>The machine's practical float32 peak: torch.matmul of two n×n matrices, 2n³ FLOPs, with libtorch's current thread count.</summary>
public sealed record MatmulResult(int Size, int Threads, TimingStats Time, double Gflops);

public static class MatmulRate
{
    /// <summary>
    /// Measures the median rate of <paramref name="probe"/>'s product over <paramref name="repeats"/> runs after warm-up.
    /// </summary>
    public static MatmulResult Measure(MatmulProbe probe, int repeats = 10)
    {
        var time = Timing.Repeat(probe.Multiply, warmup: 2, count: repeats);
        return new MatmulResult(probe.Size, get_num_threads(), time, probe.Gflops(time.MedianMs));
    }
}

/// <summary>
/// Two random n×n float32 matrices kept ready, to time their product: the whole matmul rate at the start of a benchmark
/// (<see cref="MatmulRate"/>), and single readings between steps of other work. On a shared VM the rate drifts by tens
/// of per cent within minutes; a rate read next to each training step is the limit that step actually ran against.
/// 2048 is large enough for MKL to reach its steady rate on a few cores and small enough (48 MiB for three matrices)
/// to stay quick.
/// </summary>
public sealed class MatmulProbe : IDisposable
{
    private readonly Tensor a;
    private readonly Tensor b;

    public MatmulProbe(int size = 2048)
    {
        Size = size;
        var generator = new torch.Generator(1234);
        a = randn(new long[] { size, size }, generator: generator).DetachFromDisposeScope();    // (n, n)
        b = randn(new long[] { size, size }, generator: generator).DetachFromDisposeScope();    // (n, n)
    }

    public int Size { get; }

    /// <summary>One product, untimed: (n, n)·(n, n).</summary>
    public void Multiply()
    {
        using var noGrad = no_grad();
        torch.matmul(a, b).Dispose();
    }

    /// <summary>GFLOP/s of one product (2n³ FLOPs) that took <paramref name="milliseconds"/>.</summary>
    public double Gflops(double milliseconds) => 2.0 * Size * Size * (double)Size / (milliseconds * 1e-3) / 1e9;

    /// <summary>One timed product: GFLOP/s now.</summary>
    public double Measure() => Gflops(Timing.Milliseconds(Multiply));

    public void Dispose()
    {
        a.Dispose();
        b.Dispose();
    }
}
