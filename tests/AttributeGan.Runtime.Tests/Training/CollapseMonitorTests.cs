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
