using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using AttributeGan.Models;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.Distributed;
using AttributeGan.Runtime.Numerics;
using AttributeGan.Runtime.Reporting;
using AttributeGan.Runtime.Sampling;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Trains a compiled spec into a run directory: loads or draws the data, resumes from the newest loadable checkpoint,
/// runs <see cref="GanStep"/>s, and writes checkpoints, sample grids, the loss table and the loss curve.
/// </summary>
/// <remarks>
/// Data-parallel runs start one trainer per rank with the same arguments and the world's <see cref="ICollectives"/>.
/// The ranks first agree that they were given the same spec, settings and data; rank 0 prepares the run directory,
/// every rank loads the same checkpoint, and rank 0's parameters are broadcast. Each rank trains on its share of
/// the global batch (<see cref="TrainOptions.Batch"/> / N). Only rank 0 writes anything or reports progress.
/// </remarks>
public sealed class Trainer(IGanSpec spec, TrainOptions options, RunDirectory run, ITrainingObserver? observer = null, ICollectives? collectives = null)
{
    private readonly ICollectives collectives = collectives ?? SingleProcessCollectives.Instance;
    private readonly ITrainingObserver observer = (collectives?.Rank ?? 0) == 0 ? observer ?? SilentObserver.Instance : SilentObserver.Instance;
    private bool Writes => collectives.Rank == 0;

    /// <returns>The state after the last step; the caller disposes it.</returns>
    public GanTrainingState Run(CancellationToken cancellation = default)
    {
        options.Validate();
        int world = collectives.WorldSize;
        if (options.Batch % world != 0)
            throw TrainOptions.Invalid(nameof(TrainOptions.Batch), $"({options.Batch}) cannot be split evenly over {world} ranks; use a multiple of {world}.");
        var device = Devices.Resolve(options.Device, collectives.Rank);
        // Every rank checks its own machine's kernels before anything else: a wrong gradient must not train silently.
        var numerics = NumericsGate.Require(spec, device, options.NumericsFallback, observer.Message);

        var data = options.DataDirectory is null
            ? DataSet.Synthetic(spec, options.SyntheticCount, options.Seed, options.CombinationPercentile)
            : DataSet.Load(options.DataDirectory, spec, new DataSetOptions(options.CombinationPercentile, options.SkipBadImages ? OnBadImage.Skip : OnBadImage.Fail));
        foreach (var skipped in data.Skipped) observer.Message($"Skipped {skipped.Path} (line {skipped.Line}): {skipped.Reason}");
        var frequentLevels = data.Combinations.Kept.OrderByDescending(c => c.Count).First().Levels;
        var monitor = Writes && options.MonitorEvery > 0 ? CreateMonitor(data, frequentLevels) : null;

        RankAgreement.Require(collectives, spec, options, data);
        if (Writes) PrepareRunDirectory(frequentLevels, numerics);
        collectives.Barrier();   // the run directory exists (and was checked) before any rank reads it

        var state = new GanTrainingState(spec, device, options.Seed);
        try
        {
            var resumedFrom = CheckpointFile.LoadNewest(run, state, (path, e) => observer.Message($"Skipping {path}: {e.Message}"));
            RankAgreement.RequireSameStart(collectives, state.Step, resumedFrom);
            ParameterBroadcast.FromRoot(collectives, state.Generator);
            ParameterBroadcast.FromRoot(collectives, state.Discriminator);
            ParameterBroadcast.FromRoot(collectives, state.Ema.Generator);

            var losses = Writes ? new LossTable(run.LossTable, state.Step) : null;
            if (monitor is not null && losses is not null && state.Step > 0) monitor.Resume(LossTable.Series(run.LossTable, "noise_spread"));
            var tensorBoard = Writes ? new TensorBoardLog(run.LogsFolder) : null;
            observer.Started(new TrainingStart(spec.Name, state.Step, options.Steps, options.Batch, data.Count, data.CombinationCount, resumedFrom, device.ToString())
                { Ranks = world });
            using var batches = new BatchLoader(data, options.Batch / world, options.Seed, options.Augmentation, collectives.Rank, world, startBatch: state.Step, device: device);
            using var parallel = new DataParallel(collectives, state);
            var step = new GanStep(state, options.Seed, parallel);
            var clock = Stopwatch.StartNew();

            bool stop = false;
            while (state.Step < options.Steps && !stop)
            {
                var started = clock.Elapsed;
                StepLosses stepLosses;
                using (var batch = batches.Next())
                    stepLosses = step.Run(batch);
                // Every rank leaves after the same step, even when a stop request reached only some of them.
                stop = parallel.AnyRank(cancellation.IsCancellationRequested);
                double seconds = (clock.Elapsed - started).TotalSeconds;
                var spread = monitor is not null && state.Step % options.MonitorEvery == 0 ? monitor.Measure(state.Ema.Generator) : null;
                var report = new StepReport(state.Step, options.Steps, stepLosses, options.Batch / Math.Max(seconds, 1e-9), seconds, Environment.WorkingSet)
                    { Spread = spread };
                if (losses is not null && tensorBoard is not null)
                {
                    losses.Add(report);
                    foreach (var (name, value) in stepLosses.Named()) tensorBoard.Scalar("loss/" + name, value, state.Step);
                    tensorBoard.Scalar("speed/images_per_second", report.ImagesPerSecond, state.Step);
                    tensorBoard.Scalar("memory/resident_mb", report.ResidentBytes / 1048576.0, state.Step);
                    if (spread is not null)
                    {
                        tensorBoard.Scalar("diversity/noise_spread", spread.Noise, state.Step);
                        tensorBoard.Scalar("diversity/attribute_spread", spread.Attribute, state.Step);
                    }
                }
                if (spread is not null && monitor!.Check(state.Step, spread) is { } warning) observer.Message(warning);
                observer.Stepped(report);

                bool last = state.Step == options.Steps;
                if (losses is not null && (state.Step % options.CheckpointEvery == 0 || last || stop)) SaveCheckpoint(state, losses);
                if (tensorBoard is not null && options.SampleEvery > 0 && state.Step % options.SampleEvery == 0) SampleProgress(state, frequentLevels, tensorBoard);
            }

            if (Writes && state.Step == options.Steps) Finish(state, frequentLevels);
            // No rank returns (and may exit) before rank 0 has written the final checkpoint and samples.
            collectives.Barrier();
            return state;
        }
        catch
        {
            state.Dispose();
            throw;
        }
    }

    /// <summary>The collapse monitor, with the real images' spread it is held against (logged once).</summary>
    private CollapseMonitor CreateMonitor(DataSet data, IReadOnlyList<int> frequentLevels)
    {
        double real = GridSpread.RealNoiseSpread(data, attribute: 0, CollapseMonitor.Columns, options.Seed);
        observer.Message(FormattableString.Invariant(
            $"diversity probe every {options.MonitorEvery} steps (losses.csv noise_spread, attribute_spread): real images of one {spec.Attributes.Attributes[0].Name} level spread {real:F3} per pixel"));
        return new CollapseMonitor(spec, frequentLevels, options.Seed, real);
    }

    private void PrepareRunDirectory(IReadOnlyList<int> frequentLevels, NumericsRecord numerics)
    {
        RunManifest manifest;
        if (run.HasManifest)
        {
            manifest = RunManifest.Read(run.Manifest);
            manifest.RequireSpec(spec, run.Root);
            if (manifest.Options.Identity != options.Identity)
                throw new CheckpointException(
                    $"{run.Root} was started with {manifest.Options.Identity}; this command asks for {options.Identity}. " +
                    "Resume with the same settings (steps and checkpoint/sample intervals may change), or train into a new run directory.");
        }
        else
        {
            if (Directory.Exists(run.Root) && Directory.EnumerateFileSystemEntries(run.Root).Any())
                throw new CheckpointException($"{run.Root} exists, is not empty and is not a run directory (no run.json); choose another --out.");
            manifest = RunManifest.For(spec, options, frequentLevels);
        }

        // Each start (a resume may run on another machine) appends its numerics check.
        run.Create();
        manifest = manifest.WithNumerics(numerics);
        manifest.Write(run.Manifest);
        run.WriteReadme(spec.Name, manifest.NumericsChecks);
    }

    private void SaveCheckpoint(GanTrainingState state, LossTable losses)
    {
        var path = run.CheckpointPath(state.Step);
        CheckpointFile.Write(path, state, options.Seed, options.Identity);
        losses.Flush();
        run.Prune(options.KeepCheckpoints);
        observer.Saved("checkpoint", path);
    }

    private void SampleProgress(GanTrainingState state, IReadOnlyList<int> frequentLevels, TensorBoardLog tensorBoard)
    {
        var attribute = spec.Attributes.Attributes[0].Name;
        var path = run.SamplePath($"step-{state.Step:D8}.png");
        using var bitmap = RunSampler.WriteGrid(state.Ema.Generator, spec, attribute, frequentLevels, columns: 6, seed: options.Seed, path,
            $"{spec.Name}, step {state.Step}: {attribute}");
        tensorBoard.Image("samples/" + attribute, bitmap, state.Step);
        observer.Saved("samples", path);
    }

    private void Finish(GanTrainingState state, IReadOnlyList<int> frequentLevels)
    {
        foreach (var attribute in spec.Attributes.Attributes)
        {
            var path = run.SamplePath($"final-{attribute.Name}.png");
            using var bitmap = RunSampler.WriteGrid(state.Ema.Generator, spec, attribute.Name, frequentLevels, columns: 8, seed: options.Seed, path,
                $"{spec.Name}, step {state.Step}: {attribute.Name}");
            observer.Saved("samples", path);
        }

        RunSampler.WriteLossCurve(run.LossTable, run.LossCurve, $"{spec.Name} losses");
        observer.Saved("loss curve", run.LossCurve);
        if (RunSampler.WriteSpreadCurve(run.LossTable, run.SpreadCurve, $"{spec.Name}: how much the samples vary")) observer.Saved("spread curve", run.SpreadCurve);
    }
}
