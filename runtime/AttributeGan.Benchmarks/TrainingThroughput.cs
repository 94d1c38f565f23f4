using System;
using System.Linq;
using AttributeGan.Models;
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
public sealed record TrainingResult(string Model, int Batch, int Warmup, TimingStats Step, double ImagesPerSecond, double CpuMsPerStep, double PageFaultsPerStep);

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
        var images = (rand(new long[] { batch, spec.ImageChannels, spec.Resolution, spec.Resolution }, generator: generator) * 2 - 1)
            .DetachFromDisposeScope();                                                                  // (B, C, R, R)
        var attributes = AttributeVector.Stack(vectors, CPU).DetachFromDisposeScope();                  // (B, A)
        var labels = tensor(Enumerable.Range(0, batch).Select(i => (long)(i % 4)).ToArray()).DetachFromDisposeScope(); // (B)
        return new TrainingBatch(images, attributes, labels);
    }

    /// <summary>One full training step on the held batch.</summary>
    public void RunStep() => Step.Run(Batch);

    public TrainingResult MeasureTraining(int warmup, int steps)
    {
        for (int i = 0; i < warmup; i++) RunStep();
        double cpu = CpuClock.ProcessMilliseconds();
        long faults = PageFaults.Minor();
        var time = Timing.Repeat(RunStep, warmup: 0, steps);
        return new TrainingResult(Spec.Name, BatchSize, warmup, time, BatchSize / (time.MedianMs * 1e-3),
            (CpuClock.ProcessMilliseconds() - cpu) / steps, (PageFaults.Minor() - faults) / (double)steps);
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
