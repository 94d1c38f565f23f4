using System;
using System.CommandLine;
using System.Threading;
using AttributeGan.Models;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Distributed;
using AttributeGan.Runtime.Training;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// <c>attributegan train --model M [--data DIR] --out RUN</c>: train, or resume the run in RUN;
/// <c>mpiexec -n N attributegan train ...</c> trains data-parallel on N ranks.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var model = ModelOption.Create();
        var output = new Option<string>("--out", "-o") { Description = "Run directory: created, or resumed when it holds a run.", Required = true };
        var data = new Option<string?>("--data") { Description = "Image folder with attributes.csv; without it, the built-in synthetic set." };
        var steps = new Option<int?>("--steps") { Description = "Total steps (default: the spec's training.steps)." };
        var batch = new Option<int?>("--batch") { Description = "Batch size (default: the spec's training.batch)." };
        var seed = new Option<int?>("--seed") { Description = "Run seed (default: the spec's training.seed)." };
        var checkpointEvery = new Option<int?>("--checkpoint-every") { Description = "Steps between checkpoints (default: the spec's)." };
        var sampleEvery = new Option<int?>("--sample-every") { Description = "Steps between sample grids; 0 only at the end (default: as checkpoints)." };
        var monitorEvery = new Option<int>("--monitor-every") { Description = "Steps between measurements of the collapse monitor's probe grid; 0 never.", DefaultValueFactory = _ => 50 };
        var keep = new Option<int>("--keep") { Description = "Checkpoints to keep.", DefaultValueFactory = _ => 3 };
        var synthetic = new Option<int>("--synthetic-count") { Description = "Images in the built-in synthetic set.", DefaultValueFactory = _ => 4096 };
        var percentile = new Option<double?>("--percentile") { Description = "Drop attribute combinations rarer than this percentile (default: the spec's)." };
        var skipBad = new Option<bool>("--skip-bad-images") { Description = "Skip unreadable images (counted and reported) instead of stopping." };
        var device = new Option<string>("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };
        var numericsFallback = new Option<bool>("--numerics-fallback")
        {
            Description = "If the numerics check before training fails, switch libtorch's oneDNN kernels off (slower) and train on its reference kernels once they pass.",
        };

        var command = new Command("train", "Train a model on an image folder or the built-in synthetic set; resumes a run directory.")
        {
            model, output, data, steps, batch, seed, checkpointEvery, sampleEvery, monitorEvery, keep, synthetic, percentile, skipBad, device, numericsFallback,
        };
        var flags = new SettingFlags()
            .Add<TrainOptions>(nameof(TrainOptions.Steps), steps)
            .Add<TrainOptions>(nameof(TrainOptions.Batch), batch)
            .Add<TrainOptions>(nameof(TrainOptions.CheckpointEvery), checkpointEvery)
            .Add<TrainOptions>(nameof(TrainOptions.SampleEvery), sampleEvery)
            .Add<TrainOptions>(nameof(TrainOptions.MonitorEvery), monitorEvery)
            .Add<TrainOptions>(nameof(TrainOptions.KeepCheckpoints), keep)
            .Add<TrainOptions>(nameof(TrainOptions.SyntheticCount), synthetic)
            .Add<TrainOptions>(nameof(TrainOptions.CombinationPercentile), percentile);
        command.SetAction(parse =>
        {
            // Under mpiexec every rank runs this command; alone, a group of one. A failure on any rank ends the job.
            using var collectives = Collectives.FromEnvironment();
            RankThreads.Apply();
            return CommandRunner.Run(() => Train(parse, collectives), collectives, flags);
        });
        return command;

        int Train(ParseResult parse, ICollectives collectives)
        {
            var spec = ModelOption.Resolve(catalog, parse.GetValue(model)!);
            var defaults = TrainOptions.FromSpec(spec);
            var options = defaults with
            {
                Steps = parse.GetValue(steps) ?? defaults.Steps,
                Batch = parse.GetValue(batch) ?? defaults.Batch,
                Seed = parse.GetValue(seed) ?? defaults.Seed,
                CheckpointEvery = parse.GetValue(checkpointEvery) ?? defaults.CheckpointEvery,
                SampleEvery = parse.GetValue(sampleEvery) ?? parse.GetValue(checkpointEvery) ?? defaults.SampleEvery,
                KeepCheckpoints = parse.GetValue(keep),
                MonitorEvery = parse.GetValue(monitorEvery),
                SyntheticCount = parse.GetValue(synthetic),
                CombinationPercentile = parse.GetValue(percentile) ?? defaults.CombinationPercentile,
                DataDirectory = parse.GetValue(data),
                SkipBadImages = parse.GetValue(skipBad),
                Device = parse.GetValue(device)!,
                NumericsFallback = parse.GetValue(numericsFallback),
            };

            using var cancellation = new CancellationTokenSource();
            Console.CancelKeyPress += (_, e) =>
            {
                e.Cancel = true; // finish the step, write a checkpoint, then stop
                cancellation.Cancel();
            };

            var run = new RunDirectory(parse.GetValue(output)!);
            var progress = new ProgressObserver();
            using var state = progress.Run(observer => new Trainer(spec, options, run, observer, collectives).Run(cancellation.Token));
            if (collectives.Rank == 0) progress.Summarise(run, state.Step, options.Steps);
            return 0;
        }
    }
}
