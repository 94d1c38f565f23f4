using System;
using System.IO;
using System.Linq;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Sampling;
using AttributeGan.Runtime.Training;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

/// <summary>The spreads that tell whether samples vary with the noise and the attribute, and the warning on collapse.</summary>
public sealed class CollapseMonitorTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "attributegan-monitor-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Spreads_measure_variation_across_columns_and_across_rows_in_png_units()
    {
        using var scope = NewDisposeScope();
        // 2 rows × 2 columns of 1×1×1 "images" in [−1, 1]: columns differ by 1 (0.5 in [0, 1]), rows by 0.5 (0.25).
        var images = tensor(new float[] { -1f, 0f, -0.5f, 0.5f }, new long[] { 4, 1, 1, 1 });

        var spread = GridSpread.Of(images, rows: 2, columns: 2);

        Assert.Equal(0.25, spread.Noise, 12);      // population std of {0, 0.5} is 0.25
        Assert.Equal(0.125, spread.Attribute, 12); // of {0, 0.25}
        var collapsed = GridSpread.Of(tensor(new float[] { 0.2f, 0.2f, -0.4f, -0.4f }, new long[] { 4, 1, 1, 1 }), rows: 2, columns: 2);
        Assert.Equal(0.0, collapsed.Noise, 12);
        Assert.True(collapsed.Attribute > 0);
    }

    [Fact]
    public void The_warning_comes_once_when_the_noise_spread_falls_below_a_quarter_of_its_early_value()
    {
        var monitor = new CollapseMonitor(TinySpec.Instance, new[] { 0, 0 }, seed: 1, realNoiseSpread: 0.15);

        Assert.Null(monitor.Check(100, new GridSpread(0.20, 0.05)));
        Assert.Null(monitor.Check(400, new GridSpread(0.02, 0.05)));               // early steps never warn
        Assert.Null(monitor.Check(600, new GridSpread(0.06, 0.05)));               // 30 % of 0.20
        var warning = monitor.Check(700, new GridSpread(0.04, 0.05));             // 20 %
        Assert.NotNull(warning);
        Assert.Contains("noise spread 0.040 is below 25 % of its early 0.200", warning);
        Assert.Contains("real images of one level: 0.150", warning);
        Assert.Null(monitor.Check(750, new GridSpread(0.03, 0.05)));               // said once
        Assert.Null(monitor.Check(800, new GridSpread(0.11, 0.05)));               // recovered to 55 %
        Assert.NotNull(monitor.Check(850, new GridSpread(0.01, 0.05)));            // and collapsed again
    }

    /// <summary>A probe series every 50 steps up to <paramref name="last"/>: <paramref name="noise"/>(step).</summary>
    private static string?[] Watch(CollapseMonitor monitor, long last, Func<long, double> noise) =>
        Enumerable.Range(1, (int)(last / 50)).Select(i => monitor.Check(50L * i, new GridSpread(noise(50L * i), 0.05))).ToArray();

    [Fact]
    public void A_run_whose_noise_spread_was_low_from_the_start_is_warned_about_once_after_step_1000()
    {
        // The profile of a 64×64 run that collapsed in layout without ever having been varied: 0.066-0.090 throughout
        // against the real images' 0.131, so its early value is low too and the relative sign never fires.
        var monitor = new CollapseMonitor(TinySpec.Instance, new[] { 0, 0 }, seed: 1, realNoiseSpread: 0.131);

        var warnings = Watch(monitor, 3000, step => step % 200 == 0 ? 0.090 : 0.070);

        var raised = warnings.Select((w, i) => (Step: 50L * (i + 1), Warning: w)).Where(x => x.Warning is not null).ToArray();
        var (step, warning) = Assert.Single(raised);
        Assert.Equal(1000, step);                                           // not before LowFromStep
        Assert.Contains("median noise spread of the last 500 steps, 0.070, is below 65 % of the real images' 0.131", warning);
    }

    [Fact]
    public void A_varied_run_with_short_dips_is_not_warned_about()
    {
        // Dips like a varied 64×64 run's: 0.064 around step 550 (before the real-image sign applies) and single
        // probes at 0.06 later, which the window's median outvotes.
        var monitor = new CollapseMonitor(TinySpec.Instance, new[] { 0, 0 }, seed: 1, realNoiseSpread: 0.131);

        var warnings = Watch(monitor, 5000, step => step is >= 500 and <= 600 ? 0.064 : step % 300 == 0 ? 0.060 : 0.110);

        Assert.All(warnings, Assert.Null);
    }

    [Fact]
    public void The_real_image_warning_is_rearmed_when_the_median_recovers_and_survives_a_resume()
    {
        var monitor = new CollapseMonitor(TinySpec.Instance, new[] { 0, 0 }, seed: 1, realNoiseSpread: 0.10);
        Func<long, double> noise = step => step is > 1500 and <= 2500 ? 0.09 : 0.05;

        var warnings = Watch(monitor, 3500, noise);

        // Warned at 1,000; from 1,750 half the window is back at 0.09 (median 0.07 ≥ 0.065), re-armed; from 2,800 low again.
        Assert.Equal(new long[] { 1000, 2800 }, warnings.Select((w, i) => (Step: 50L * (i + 1), w)).Where(x => x.w is not null).Select(x => x.Step));

        // A resumed run takes up its window from losses.csv: the first probe after the resume already sees it.
        var resumed = new CollapseMonitor(TinySpec.Instance, new[] { 0, 0 }, seed: 1, realNoiseSpread: 0.10);
        resumed.Resume(Enumerable.Range(1, 30).Select(i => (50L * i, 0.05)));
        Assert.NotNull(resumed.Check(1550, new GridSpread(0.09, 0.05)));   // median of 1,050-1,550: still 0.05
    }

    [Fact]
    public void Training_logs_both_spreads_every_few_steps_and_draws_their_curve()
    {
        var run = new RunDirectory(Path.Combine(root, "run"));
        var options = TrainOptions.FromSpec(TinySpec.Instance) with { Steps = 6, CheckpointEvery = 6, SampleEvery = 0, SyntheticCount = 32, MonitorEvery = 3 };
        using (new Trainer(TinySpec.Instance, options, run).Run()) { }

        var noise = LossTable.Series(run.LossTable, "noise_spread");
        var attribute = LossTable.Series(run.LossTable, "attribute_spread");
        Assert.Equal(new long[] { 3, 6 }, noise.Select(p => p.Step));
        Assert.Equal(new long[] { 3, 6 }, attribute.Select(p => p.Step));
        Assert.All(noise.Concat(attribute), p => Assert.InRange(p.Value, 1e-6, 0.5));
        Assert.True(File.Exists(run.SpreadCurve));
        Assert.Equal(6, LossTable.Series(run.LossTable, "g_adversarial").Count);  // losses on every step, spreads on some
    }
}
