using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>What <c>attributegan bench</c> measures. Null batch: each spec's own training batch.</summary>
public sealed record BenchOptions
{
    public IReadOnlyList<string> Models { get; init; } = Array.Empty<string>();

    public int? Batch { get; init; }

    /// <summary>Timed training steps per model (after <see cref="Warmup"/> untimed ones); the median is reported.</summary>
    public int Steps { get; init; } = 10;

    public int Warmup { get; init; } = 3;

    /// <summary>libtorch intra-op threads; null keeps libtorch's default (one per core).</summary>
    public int? Threads { get; init; }

    public bool Attention { get; init; } = true;

    public bool Data { get; init; } = true;

    public bool Generator { get; init; } = true;

    /// <summary>The Fréchet distance of 10,000 vs 10,000 features and the feature network's rate (evaluation's cost).</summary>
    public bool Frechet { get; init; } = true;

    /// <summary>The per-layer profile of the training step (slower: every layer is re-timed on its own).</summary>
    public bool Profile { get; init; }

    /// <summary>Specs benchmarked when none is named: those a CPU trains in seconds per step.</summary>
    public static IReadOnlyList<IGanSpec> DefaultModels(IEnumerable<IGanSpec> catalog) => catalog.Where(s => s.Resolution <= 64).OrderByDescending(s => s.Resolution).ToList();
}

/// <summary>Everything one spec's benchmark measured.</summary>
public sealed record ModelBench(
    string Model,
    int Resolution,
    long GeneratorParameters,
    long DiscriminatorParameters,
    ModelFlops Flops,
    TrainingResult Training,
    double TrainingGflops,
    double TrainingUtilisation,
    SamplingResult Sampling,
    double SamplingUtilisation,
    IReadOnlyList<AttentionResult> Attention,
    DataPipelineResult? Data,
    ProfileResult? Profile)
{
    /// <summary>Training MFU against the matmul rate read next to each step (<see cref="PairedRates"/>), when it was read.</summary>
    public double? PairedTrainingUtilisation => Training.Paired?.Utilisation(Flops.TrainingFlopsPerImage * Training.Batch);
}

public sealed record BenchReport(DateTimeOffset Started, MachineInfo Machine, BenchOptions Options, MatmulResult Matmul,
    IReadOnlyList<ModelBench> Models, GeneratorTimingResult? Generator, FrechetTimingResult? Frechet)
{
    public string MfuFormula => ModelFlops.Formula;

    public string PeakMemoryMethod => PeakMemory.Method;
}

/// <summary>Runs the benchmark sections in a fixed order and reports progress through <paramref name="progress"/>.</summary>
public static class BenchSuite
{
    /// <param name="catalog">The compiled specs <see cref="BenchOptions.Models"/> names (and the default ones come from).</param>
    public static BenchReport Run(BenchOptions options, SpecCatalog catalog, Action<string>? progress = null)
    {
        progress ??= _ => { };
        if (options.Threads is int threads) set_num_threads(threads);
        var specs = options.Models.Count == 0
            ? BenchOptions.DefaultModels(catalog)
            : options.Models.Select(n => catalog.Find(n) ?? throw new ArgumentException(
                $"There is no model named '{n}'. Known models: {catalog.Names}.")).ToList();

        var started = DateTimeOffset.Now;
        var machine = MachineInfo.Capture();
        progress($"matmul rate ({get_num_threads()} threads)");
        using var probe = new MatmulProbe();
        var matmul = MatmulRate.Measure(probe);

        var models = new List<ModelBench>();
        foreach (var spec in specs)
        {
            int batch = options.Batch ?? spec.Training.Batch;
            using var bench = new TrainingBench(spec, batch);
            progress($"{spec.Name}: training, batch {batch}");
            var training = bench.MeasureTraining(options.Warmup, options.Steps, probe);
            progress($"{spec.Name}: sampling");
            var sampling = bench.MeasureSampling(options.Warmup, Math.Max(options.Steps, 5));
            var flops = ModelFlops.Of(spec);

            IReadOnlyList<AttentionResult> attention = Array.Empty<AttentionResult>();
            if (options.Attention)
            {
                progress($"{spec.Name}: efficient vs dot-product attention");
                attention = AttentionComparison.Run(spec, batch, options.Warmup, Math.Max(options.Steps, 5));
            }
            DataPipelineResult? data = null;
            if (options.Data)
            {
                progress($"{spec.Name}: data pipeline");
                data = DataPipelineThroughput.Run(spec, batch, batches: Math.Max(options.Steps, 8));
            }
            ProfileResult? profile = null;
            if (options.Profile)
            {
                progress($"{spec.Name}: per-layer profile");
                profile = StepProfile.Run(bench, training.Step.MedianMs, options.Warmup, Math.Max(options.Steps, 5));
            }

            models.Add(new ModelBench(spec.Name, spec.Resolution, spec.GeneratorParameters, spec.DiscriminatorParameters, flops, training,
                flops.TrainingFlopsPerImage * training.ImagesPerSecond / 1e9, flops.TrainingUtilisation(training.ImagesPerSecond, matmul.Gflops),
                sampling, flops.SamplingUtilisation(sampling.ImagesPerSecond, matmul.Gflops), attention, data, profile));
        }

        GeneratorTimingResult? generator = null;
        if (options.Generator)
        {
            progress("source generator");
            generator = GeneratorTiming.Run(repeats: Math.Max(options.Steps, 10));
        }
        FrechetTimingResult? frechet = null;
        if (options.Frechet)
        {
            progress("Fréchet distance, 10,000 vs 10,000 features");
            frechet = FrechetTiming.Run();
        }
        return new BenchReport(started, machine.Finished(), options, matmul, models, generator, frechet);
    }
}
