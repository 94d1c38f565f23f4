using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>
/// Training throughput of one spec: the median of timed <see cref="GanStep"/>s (D step + G step + EMA) after warm-up,
/// with the process CPU time and minor page faults per step over the timed steps (CPU time above wall time × threads
/// means spin-waiting; many faults mean the allocator keeps returning memory to the system and touching it anew).
/// </summary>
public sealed record TrainingResult(string Model, int Batch, int Warmup, TimingStats Step, double ImagesPerSecond, double CpuMsPerStep,
    double PageFaultsPerStep, PairedRates? Paired = null);

/// <summary>
/// Each timed step's wall time next to the matmul rate read just before it (<see cref="MatmulProbe"/>): utilisation per
/// step against the machine's limit at that moment, which the drift of a shared machine does not bias.
/// </summary>
public sealed record PairedRates(IReadOnlyList<double> StepMs, IReadOnlyList<double> MatmulGflops)
{
    /// <summary>Median over steps of (model FLOPs of the step ÷ its time) ÷ the matmul rate next to it.</summary>
    public double Utilisation(double flopsPerStep) =>
        Median(StepMs.Zip(MatmulGflops, (ms, gflops) => flopsPerStep / (ms * 1e-3) / (gflops * 1e9)));

    public double MatmulMedianGflops => Median(MatmulGflops);

    private static double Median(IEnumerable<double> values) => TimingStats.Quantile(values.OrderBy(v => v).ToArray(), 0.5);
}

/// <summary>Forward-only sampling throughput of the EMA generator (eval mode, no gradients).</summary>
public sealed record SamplingResult(string Model, int Batch, TimingStats Forward, double ImagesPerSecond);

/// <summary>
/// A training state with a fixed, valid batch held in memory, so a timed step measures the networks, losses, optimisers
/// and EMA, and no data loading (the data pipeline is measured on its own).
/// </summary>
public sealed class TrainingBench : IDisposable
{
    public TrainingBench(IGanSpec spec, int batch, int seed = 0)
    {
        if (batch < 2) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Training needs a batch of at least 2 (batch norm).");
        Spec = spec;
        BatchSize = batch;
        State = new GanTrainingState(spec, CPU, seed);
        Step = new GanStep(State, seed);
        Batch = SyntheticBatch(spec, batch, seed);
    }

    public IGanSpec Spec { get; }

    public int BatchSize { get; }

    public GanTrainingState State { get; }

    public GanStep Step { get; }

    public TrainingBatch Batch { get; }

    /// <summary>Random images in [−1, 1], a random valid level per attribute, and labels from a handful of classes.</summary>
    public static TrainingBatch SyntheticBatch(IGanSpec spec, int batch, int seed)
    {
        var random = new SeededRandom(SeededRandom.Mix(seed, 0xBE7C));
        var vectors = Enumerable.Range(0, batch)
            .Select(_ => spec.Attributes.Encode(spec.Attributes.Attributes.Select(a => (int)(random.NextDouble() * a.Levels.Count)).ToArray()))
            .ToList();
        var generator = new torch.Generator((ulong)seed + 1);
        var images = rand(new long[] { batch, spec.ImageChannels, spec.Resolution, spec.Resolution }, generator: generator).mul(Scalars.Of(2L)).sub(Scalars.One)
            .DetachFromDisposeScope();                                                                  // (B, C, R, R)
        var attributes = AttributeVector.Stack(vectors, CPU).DetachFromDisposeScope();                  // (B, A)
        var labels = tensor(Enumerable.Range(0, batch).Select(i => (long)(i % 4)).ToArray()).DetachFromDisposeScope(); // (B)
        return new TrainingBatch(images, attributes, labels);
    }

    /// <summary>One full training step on the held batch.</summary>
    public void RunStep() => Step.Run(Batch);

    /// <summary>
    /// Times <paramref name="steps"/> steps after <paramref name="warmup"/>; with a <paramref name="probe"/>, reads the
    /// matmul rate before each timed step (outside the step's time, CPU time and page faults).
    /// </summary>
    public TrainingResult MeasureTraining(int warmup, int steps, MatmulProbe? probe = null)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "At least one timed step is needed.");
        for (int i = 0; i < warmup; i++) RunStep();
        var times = new double[steps];
        var rates = new double[steps];
        double cpu = 0;
        long faults = 0;
        for (int i = 0; i < steps; i++)
        {
            if (probe is not null) rates[i] = probe.Measure();
            double cpuBefore = CpuClock.ProcessMilliseconds();
            long faultsBefore = PageFaults.Minor();
            times[i] = Timing.Milliseconds(RunStep);
            cpu += CpuClock.ProcessMilliseconds() - cpuBefore;
            faults += PageFaults.Minor() - faultsBefore;
        }
        var time = TimingStats.Of(times);
        return new TrainingResult(Spec.Name, BatchSize, warmup, time, BatchSize / (time.MedianMs * 1e-3), cpu / steps, faults / (double)steps,
            probe is null ? null : new PairedRates(times, rates));
    }

    public SamplingResult MeasureSampling(int warmup, int repeats)
    {
        var ema = State.Ema.Generator;
        ema.eval();
        using var outer = NewDisposeScope();
        var generator = new torch.Generator(99);
        var noise = randn(new long[] { BatchSize, Spec.LatentSize }, generator: generator);             // (B, latent)
        var attributes = Batch.Attributes;                                                             // (B, A)
        void Forward()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            ema.call(noise, attributes);                                                               // (B, C, R, R)
        }

        var time = Timing.Repeat(Forward, warmup, repeats);
        return new SamplingResult(Spec.Name, BatchSize, time, BatchSize / (time.MedianMs * 1e-3));
    }

    public void Dispose()
    {
        Batch.Dispose();
        State.Dispose();
    }
}
