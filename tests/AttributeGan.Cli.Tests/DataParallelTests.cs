using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Checkpoints;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AttributeGan.Cli.Tests;

/// <summary>
/// Data-parallel training through the real executable under <c>mpiexec.mpich</c>: two ranks with half the batch
/// each must train the same model as one process with the whole batch, and every failure must end the whole job.
/// </summary>
public sealed class DataParallelTests(ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(3);
    private readonly string root = Directory.CreateTempSubdirectory("attributegan-mpi-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void Two_ranks_with_half_batches_train_what_one_process_trains_with_the_whole_batch()
    {
        // Tiny has batch norm in both networks, attention, excitation, reconstruction and the contrastive loss with
        // negatives from the global batch: every synchronised path. Augmentation on: it must not depend on the rank.
        string[] train = { "train", "--model", "Tiny", "--steps", "4", "--batch", "8", "--synthetic-count", "64", "--sample-every", "0" };
        var single = Path.Combine(root, "one");
        var parallel = Path.Combine(root, "two");
        var (oneCode, oneLog) = Cli.Run(Bound, train.Append("--out").Append(single).ToArray());
        Assert.True(oneCode == 0, oneLog);
        var (twoCode, twoLog) = Cli.RunMpi(Bound, new[] { "-n", "2", "dotnet", Cli.Executable }.Concat(train).Append("--out").Append(parallel).ToArray());
        Assert.True(twoCode == 0, twoLog);
        Assert.Contains("over 2 ranks (4 each)", twoLog);

        var (largest, worst) = CompareRuns(single, parallel);
        log.WriteLine($"largest relative difference over G, D and EMA after 4 steps: {largest:E2} ({worst})");
        Assert.True(largest <= SameTrainingTolerance, $"largest relative difference {largest:E2} in {worst}");
        // Only rank 0 writes: one loss table with one row per step, one set of checkpoints.
        Assert.Equal(5, File.ReadAllLines(Path.Combine(parallel, "losses.csv")).Length);
    }

    [Fact]
    public void A_run_started_on_two_ranks_resumes_on_one()
    {
        string[] train = { "train", "--model", "Tiny", "--batch", "8", "--synthetic-count", "64", "--sample-every", "0", "--checkpoint-every", "2" };
        var straight = Path.Combine(root, "straight");
        var switched = Path.Combine(root, "switched");
        var (code, output) = Cli.Run(Bound, train.Concat(new[] { "--steps", "4", "--out", straight }).ToArray());
        Assert.True(code == 0, output);
        (code, output) = Cli.RunMpi(Bound, new[] { "-n", "2", "dotnet", Cli.Executable }.Concat(train).Concat(new[] { "--steps", "2", "--out", switched }).ToArray());
        Assert.True(code == 0, output);
        (code, output) = Cli.Run(Bound, train.Concat(new[] { "--steps", "4", "--out", switched }).ToArray());
        Assert.True(code == 0, output);
        Assert.Contains("Resumed from", output);

        var (largest, worst) = CompareRuns(straight, switched);
        Assert.True(largest <= SameTrainingTolerance, $"largest relative difference {largest:E2} in {worst}");
    }

    /// <summary>
    /// Two ranks sum the batch in another order than one process, so float32 rounding differs; Adam turns that into
    /// relative differences of about 2e-5 after 4 steps on Tiny, and spectral normalisation's power iteration (which
    /// divides by the gap between the two largest singular values) into about 7e-5 on the u vectors and their weights.
    /// A synchronisation defect (a gradient not averaged, a rank drawing other augmentations) moves parameters by Adam's
    /// whole step (lr = 2e-4 absolute, about 1e-3 of a typical tensor's largest value), well above this.
    /// </summary>
    private const double SameTrainingTolerance = 2e-4;

    [Fact]
    public void Ranks_given_different_settings_are_refused_at_start_naming_the_rank()
    {
        // MPMD launch: rank 1 gets another seed.
        string[] common = { "train", "--model", "Tiny", "--steps", "2", "--batch", "8", "--synthetic-count", "64", "--out", Path.Combine(root, "mismatch") };
        var launch = new[] { "-n", "1", "dotnet", Cli.Executable }.Concat(common).Append("--seed").Append("1")
            .Concat(new[] { ":", "-n", "1", "dotnet", Cli.Executable }).Concat(common).Append("--seed").Append("2").ToArray();
        var (code, output) = Cli.RunMpi(Bound, launch);
        Assert.NotEqual(0, code);
        Assert.Contains("disagree on the settings", output);
        Assert.Contains("rank 1 has batch=8 seed=2", output);
    }

    [Fact]
    public void A_rank_that_fails_ends_the_whole_job_quickly_with_its_rank_and_cause()
    {
        // Rank 1 is pointed at a data folder that does not exist; rank 0 is fine and would wait for it forever.
        string[] common = { "train", "--model", "Tiny", "--steps", "50", "--batch", "8", "--out", Path.Combine(root, "failing") };
        var launch = new[] { "-n", "1", "dotnet", Cli.Executable }.Concat(common).Append("--synthetic-count").Append("64")
            .Concat(new[] { ":", "-n", "1", "dotnet", Cli.Executable }).Concat(common).Append("--data").Append(Path.Combine(root, "missing")).ToArray();
        var clock = Stopwatch.StartNew();
        var (code, output) = Cli.RunMpi(TimeSpan.FromSeconds(90), launch);
        Assert.NotEqual(0, code);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"the job took {clock.Elapsed.TotalSeconds:F0} s to stop");
        Assert.Contains("rank 1 of 2 failed", output);
        Assert.Contains("missing", output);
    }

    [Fact]
    public void Killing_one_rank_mid_training_stops_the_job_and_keeps_the_last_checkpoint_loadable()
    {
        var run = Path.Combine(root, "killed");
        var start = new ProcessStartInfo(Cli.MpiLauncher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-n", "2", "dotnet", Cli.Executable, "train", "--model", "Tiny", "--steps", "100000", "--batch", "8",
                     "--synthetic-count", "64", "--checkpoint-every", "1", "--sample-every", "0", "--keep", "2", "--out", run })
            start.ArgumentList.Add(argument);
        using var job = Process.Start(start)!;
        job.BeginOutputReadLine();   // drain the pipes, or the ranks block once they fill
        job.BeginErrorReadLine();
        try
        {
            var directory = new RunDirectory(run);
            var deadline = DateTime.UtcNow + Bound;
            while (directory.Checkpoints().Count == 0 || directory.Checkpoints()[^1].Step < 3)
            {
                Assert.True(DateTime.UtcNow < deadline, "no checkpoint at step 3 within the bound");
                Assert.False(job.HasExited, $"the job stopped by itself with exit code {(job.HasExited ? job.ExitCode : 0)}");
                System.Threading.Thread.Sleep(50);
            }

            var rank1 = RankProcess(rank: 1, marker: run);
            var clock = Stopwatch.StartNew();
            Process.GetProcessById(rank1).Kill();   // SIGKILL: the rank gets no chance to say anything
            Assert.True(job.WaitForExit(TimeSpan.FromSeconds(60)), "the job was still running 60 s after a rank was killed");
            log.WriteLine($"job ended {clock.Elapsed.TotalSeconds:F1} s after rank 1 was killed, exit code {job.ExitCode}");
            Assert.NotEqual(0, job.ExitCode);
        }
        finally
        {
            if (!job.HasExited) job.Kill(entireProcessTree: true);
        }

        using var loaded = TrainedRun.Load(run, SpecCatalog.Shipped, CPU);
        Assert.True(loaded.State.Step >= 3);
    }

    /// <summary>The process id of the rank whose command line mentions <paramref name="marker"/> (Hydra sets PMI_RANK in each rank's environment).</summary>
    private static int RankProcess(int rank, string marker)
    {
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out int pid)) continue;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(folder, "cmdline"));
                if (!commandLine.Contains(marker) || !commandLine.Contains("attributegan.dll") || commandLine.Contains(Cli.MpiLauncher)) continue;
                var environment = File.ReadAllText(Path.Combine(folder, "environ")).Split('\0');
                if (environment.Contains($"PMI_RANK={rank}")) return pid;
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }
        throw new InvalidOperationException($"no process of rank {rank} for {marker}");
    }

    /// <summary>
    /// Loads both runs' newest checkpoints; the largest ‖a − b‖∞ / max(‖a‖∞, 1e-12) over every tensor of G, D and EMA
    /// (spectral normalisation's u vectors scaled by 1/25), and the names of the five tensors that differ most.
    /// </summary>
    private static (double Largest, string Worst) CompareRuns(string first, string second)
    {
        using var a = TrainedRun.Load(first, SpecCatalog.Shipped, CPU);
        using var b = TrainedRun.Load(second, SpecCatalog.Shipped, CPU);
        Assert.Equal(a.State.Step, b.State.Step);
        var left = a.State.Snapshot();
        var right = b.State.Snapshot().ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(left.Length, right.Count);
        var differences = left.Select(p =>
        {
            using var x = p.Value.to(ScalarType.Float64);
            using var y = right[p.Name].to(ScalarType.Float64);
            double scale = Math.Max(x.abs().max().item<double>(), 1e-12);
            // Spectral normalisation's u vectors are power-iteration estimates, not trained values: their error is the
            // weights' divided by the gap between the two largest singular values (3e-4 measured on Tiny's 16×5
            // attribute embedding), and σ depends on them only to second order. They are held 25× looser.
            double weight = p.Name.EndsWith("_u", StringComparison.Ordinal) ? 1.0 / 25 : 1.0;
            return (p.Name, Relative: weight * (x - y).abs().max().item<double>() / scale);
        }).OrderByDescending(d => d.Relative).ToArray();
        return (differences[0].Relative, string.Join(", ", differences.Take(5).Select(d => $"{d.Name} {d.Relative:E1}")));
    }
}
