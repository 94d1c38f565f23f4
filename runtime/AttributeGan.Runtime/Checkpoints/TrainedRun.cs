using System;
using System.Globalization;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Training;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Checkpoints;

/// <summary>
/// A run directory's checkpoint (the newest, or the one of a given step), loaded with the spec it names: what sampling
/// and evaluation start from.
/// </summary>
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
    /// <param name="step">The step whose checkpoint to load (a learning curve's earlier point); null for the newest that loads.</param>
    public static TrainedRun Load(string path, SpecCatalog catalog, Device device, long? step = null)
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
        var chosen = step is null ? null : CheckpointOf(directory, step.Value);
        var state = new GanTrainingState(spec, device, manifest.Options.Seed);
        try
        {
            if (chosen is not null)
            {
                CheckpointFile.Load(chosen, state);
                return new TrainedRun(directory, manifest, state, chosen);
            }

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

    /// <summary>
    /// The checkpoint file of <paramref name="step"/> in <paramref name="directory"/>; refuses a step the run does not
    /// keep, naming the steps it does (training keeps the newest few: <c>train --keep</c> keeps more).
    /// </summary>
    public static string CheckpointOf(RunDirectory directory, long step)
    {
        var checkpoints = directory.Checkpoints();
        foreach (var (kept, path) in checkpoints)
            if (kept == step) return path;
        var steps = checkpoints.Count == 0 ? "none" : string.Join(", ", checkpoints.Select(c => c.Step.ToString(CultureInfo.InvariantCulture)));
        throw new CheckpointException($"{directory.Root} has no checkpoint of step {step} (it keeps steps: {steps}); pass one of those, or train with a larger --keep to keep more.");
    }

    public void Dispose() => State.Dispose();
}
