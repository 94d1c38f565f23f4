using AttributeGan.Models;
using AttributeGan.Runtime.Data;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Everything a training run is configured with: the spec's training defaults, overridden by the command line.
/// Immutable; stored in the run directory so a resumed run continues with the same settings. A property added later
/// needs a default (not <c>required</c>): run.json files written before it lack it (RunManifestCompatibilityTests).
/// </summary>
public sealed record TrainOptions
{
    /// <summary>Global batch (split across ranks in data-parallel runs).</summary>
    public required int Batch { get; init; }

    /// <summary>Total optimiser steps of the run (a resumed run may raise it).</summary>
    public required int Steps { get; init; }

    public required int Seed { get; init; }

    public required int CheckpointEvery { get; init; }

    /// <summary>How many checkpoints to keep; older ones are deleted after a newer one is safely written.</summary>
    public int KeepCheckpoints { get; init; } = 3;

    /// <summary>Write a sample grid (EMA generator) every this many steps; 0 only at the end.</summary>
    public int SampleEvery { get; init; }

    /// <summary>Measure the collapse monitor's probe grid every this many steps (<see cref="CollapseMonitor"/>); 0 never.</summary>
    public int MonitorEvery { get; init; } = 50;

    /// <summary>Image folder with attributes.csv; null trains on the built-in synthetic set.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>Number of images of the built-in synthetic set, when no data folder is given.</summary>
    public int SyntheticCount { get; init; } = 4096;

    public required double CombinationPercentile { get; init; }

    /// <summary>Skip unreadable images (counted and reported) instead of stopping.</summary>
    public bool SkipBadImages { get; init; }

    /// <summary>Augmentation of real batches (random resized crop, DiffAugment colour and translation).</summary>
    public AugmentationOptions Augmentation { get; init; } = AugmentationOptions.None;

    /// <summary>"cpu" or "cuda" (or "cuda:N").</summary>
    public string Device { get; init; } = "cpu";

    /// <summary>
    /// When the numerics check before training fails, switch libtorch's oneDNN kernels off and check again instead of
    /// refusing to train. Not part of <see cref="Identity"/>: it changes which kernels compute, not what is computed.
    /// </summary>
    public bool NumericsFallback { get; init; }

    public static TrainOptions FromSpec(IGanSpec spec) => new()
    {
        Batch = spec.Training.Batch,
        Steps = spec.Training.Steps,
        Seed = spec.Training.Seed,
        CheckpointEvery = spec.Training.CheckpointEvery,
        SampleEvery = spec.Training.CheckpointEvery,
        CombinationPercentile = spec.Training.CombinationPercentile,
        Augmentation = new AugmentationOptions(
            CropProbability: spec.Training.Augmentation.CropProbability,
            Colour: spec.Training.Augmentation.Colour,
            Translation: spec.Training.Augmentation.Translation),
    };

    /// <summary>Checks the numbers a user can get wrong; the message names the setting and the fix.</summary>
    /// <exception cref="InvalidSettingException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Batch < 2) throw Invalid(nameof(Batch), $"must be at least 2 (batch norm needs two images), got {Batch}.");
        if (Steps < 1) throw Invalid(nameof(Steps), $"must be at least 1, got {Steps}.");
        if (CheckpointEvery < 1) throw Invalid(nameof(CheckpointEvery), $"must be at least 1, got {CheckpointEvery}.");
        if (KeepCheckpoints < 1) throw Invalid(nameof(KeepCheckpoints), $"must be at least 1, got {KeepCheckpoints}.");
        if (SampleEvery < 0) throw Invalid(nameof(SampleEvery), $"must be 0 (only at the end) or more, got {SampleEvery}.");
        if (MonitorEvery < 0) throw Invalid(nameof(MonitorEvery), $"must be 0 (never) or more, got {MonitorEvery}.");
        if (SyntheticCount < Batch) throw Invalid(nameof(SyntheticCount), $"({SyntheticCount}) must be at least the batch ({Batch}).");
        if (CombinationPercentile is < 0 or >= 100) throw Invalid(nameof(CombinationPercentile), $"must be in [0, 100), got {CombinationPercentile}.");
    }

    /// <summary>A refusal of the setting <paramref name="property"/> of these options.</summary>
    internal static InvalidSettingException Invalid(string property, string problem) => new(typeof(TrainOptions), property, problem);

    /// <summary>The settings that define the run's data and randomness: a resume must not change them.</summary>
    public string Identity => $"batch={Batch} seed={Seed} data={DataDirectory ?? "synthetic:" + SyntheticCount} percentile={CombinationPercentile} augmentation=crop:{Augmentation.CropProbability},colour:{Augmentation.Colour},translation:{Augmentation.Translation}";
}
