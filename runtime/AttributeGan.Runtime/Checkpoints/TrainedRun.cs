using System;
using AttributeGan.Models;
using AttributeGan.Runtime.Training;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Checkpoints;

/// <summary>A run directory's newest checkpoint, loaded with the spec it names: what sampling and evaluation start from.</summary>
public sealed class TrainedRun : IDisposable
{
    private TrainedRun(RunDirectory directory, RunManifest manifest, GanTrainingState state, string checkpoint)
    {
        Directory = directory;
        Manifest = manifest;
        State = state;
        Checkpoint = checkpoint;
    }

    public RunDirectory Directory { get; }

    public RunManifest Manifest { get; }

    public GanTrainingState State { get; }

    public IGanSpec Spec => State.Spec;

    /// <summary>The checkpoint file that was loaded.</summary>
    public string Checkpoint { get; }

    /// <summary>The EMA generator (the paper's samples), or the raw one.</summary>
    public GanGenerator Generator(bool ema) => ema ? State.Ema.Generator : State.Generator;

    /// <param name="catalog">The compiled specs to find the run's spec in (a run stores its spec's name and hash, not its code).</param>
    public static TrainedRun Load(string path, SpecCatalog catalog, Device device)
    {
        var directory = new RunDirectory(path);
        if (!directory.HasManifest)
            throw new CheckpointException($"{directory.Root} is not a run directory (no run.json); pass the --out folder of 'attributegan train'.");
        var manifest = RunManifest.Read(directory.Manifest);
        var spec = catalog.Find(manifest.SpecName)
                   ?? throw new CheckpointException($"{directory.Root} was trained with the model '{manifest.SpecName}', which this build does not compile " +
                                                   $"(known: {catalog.Names}). Restore its spec file.");
        manifest.RequireSpec(spec, directory.Root);

        var checkpoints = directory.Checkpoints();
        if (checkpoints.Count == 0) throw new CheckpointException($"{directory.Root} has no checkpoint yet; train it first.");
        var state = new GanTrainingState(spec, device, manifest.Options.Seed);
        try
        {
            var loaded = CheckpointFile.LoadNewest(directory, state, (_, _) => { });
            if (loaded is not null) return new TrainedRun(directory, manifest, state, loaded);
            throw new CheckpointException($"No checkpoint of {directory.Root} could be loaded.");
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    public void Dispose() => State.Dispose();
}
