using System;
using System.Globalization;
using System.IO;
using System.Linq;
using AttributeGan.Models.Numerics;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Numerics;
using AttributeGan.Runtime.Training;
using Xunit;

namespace AttributeGan.Runtime.Tests.Numerics;

/// <summary>
/// Training starts only on numbers that match their reference: the check runs at every start and is recorded, and the
/// same seed trains the same losses whatever the thread count (a wrong kernel made them differ, or NaN).
/// </summary>
public sealed class TrainingNumericsTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "attributegan-numerics-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static TrainOptions Options(int steps) => TrainOptions.FromSpec(TinySpec.Instance) with
    {
        Steps = steps,
        CheckpointEvery = 10,
        SampleEvery = 0,
        SyntheticCount = 64,
    };

    private void Train(string name, int steps)
    {
        using var state = new Trainer(TinySpec.Instance, Options(steps), new RunDirectory(Path.Combine(root, name))).Run();
    }

    [Fact]
    public void Every_start_records_its_numerics_check_in_run_json_and_the_readme()
    {
        Train("run", 1);
        Train("run", 2);                                                               // a resume: a second start

        var manifest = RunManifest.Read(Path.Combine(root, "run", "run.json"));
        Assert.Equal(2, manifest.NumericsChecks.Count);
        var latest = manifest.NumericsChecks[^1];
        Assert.True(latest.Passed);
        Assert.Equal("Tiny", latest.Model);
        Assert.Equal("on", latest.OneDnn);
        Assert.Null(latest.FailedFirst);
        Assert.InRange(latest.LargestRelativeError, 0, Float64Reference.Tolerance);
        var readme = File.ReadAllText(Path.Combine(root, "run", "README.txt"));
        int blocks = TinySpec.Instance.GeneratorLayers.Count + TinySpec.Instance.DiscriminatorLayers.Count;
        Assert.Contains($"passed, oneDNN on: Tiny: {blocks} blocks match their float64 reference", readme);
    }

    [Fact]
    public void The_same_seed_trains_the_same_losses_with_one_and_two_threads()
    {
        IntraOpThreads.With(1, () => { Train("one", 20); return 0; });
        IntraOpThreads.With(2, () => { Train("two", 20); return 0; });

        var one = Losses("one");
        var two = Losses("two");
        Assert.Equal(20, one.Length);
        for (int step = 0; step < one.Length; step++)
        {
            for (int column = 0; column < one[step].Length; column++)
            {
                double a = one[step][column], b = two[step][column];
                Assert.True(double.IsFinite(a) && double.IsFinite(b), $"step {step + 1}, loss {column}: {a} and {b}");
                // losses.csv keeps 6 significant digits; over 20 steps the two thread counts stay within 1e-4 relative.
                Assert.True(Math.Abs(a - b) <= 1e-4 * Math.Max(Math.Abs(a), 1e-3), $"step {step + 1}, loss {column}: 1 thread {a}, 2 threads {b}");
            }
        }
    }

    /// <summary>The five losses of every step from losses.csv (speed and memory columns left out).</summary>
    private double[][] Losses(string name) =>
        File.ReadAllLines(Path.Combine(root, name, "losses.csv")).Skip(1)
            .Select(row => row.Split(',')[1..6].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray())
            .ToArray();
}
