using System;
using System.Linq;
using System.Text.Json;
using System.Threading;
using AttributeGan.Models.Specs;
using AttributeGan.Models;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks.Tests;

/// <summary>The benchmark's arithmetic and instruments: FLOP formula, alternation, statistics, peak memory, generator timing.</summary>
public sealed class BenchmarkLibraryTests
{
    [Fact]
    public void Training_flops_follow_the_documented_formula()
    {
        var spec = AttributeGan64Spec.Instance;
        var flops = ModelFlops.Of(spec);

        Assert.Equal(spec.GeneratorMacsPerImage, flops.Generator);
        Assert.Equal(spec.DiscriminatorMacsPerImage, flops.DiscriminatorTrunk + flops.DiscriminatorContrastive + flops.DiscriminatorReconstruction);
        // The 64×64 spec's tables: reconstruction decoders 76,382,208 + 19,316,736; contrastive 163,840 + 2,048.
        Assert.Equal(95_698_944L, flops.DiscriminatorReconstruction);
        Assert.Equal(165_888L, flops.DiscriminatorContrastive);
        Assert.True(flops.ContrastiveInDiscriminatorStep && flops.ContrastiveInGeneratorStep && flops.Reconstruction);
        long expected = 4 * flops.Generator + 8 * flops.DiscriminatorTrunk + 5 * flops.DiscriminatorContrastive + 3 * flops.DiscriminatorReconstruction;
        Assert.Equal(expected, flops.TrainingMacsPerImage);
        // 2 × MACs × images/s ÷ rate: 10 images/s on a 100 GFLOP/s machine.
        Assert.Equal(2.0 * expected * 10 / 100e9, flops.TrainingUtilisation(10, 100), 12);
    }

    [Fact]
    public void Alternation_reports_how_much_slower_A_is_than_B()
    {
        var result = Alternation.Compare("slow", () => Thread.Sleep(80), "fast", () => Thread.Sleep(20), rounds: 4, warmup: 0);

        Assert.InRange(result.RatioMedian, 1.8, 6.0);   // 4 when the sleeps are exact; late wake-ups on a busy machine shrink it
        Assert.True(result.A.MedianMs > result.B.MedianMs);
        Assert.Equal(4, result.A.Count);
    }

    [Fact]
    public void Paired_utilisation_divides_each_step_by_the_matmul_rate_next_to_it()
    {
        // 1 GFLOP per step: 100 ms next to 5 GFLOP/s → 10 / 5 = 2.0; 200 ms next to 20 → 5 / 20 = 0.25; 50 ms next to
        // 100 → 20 / 100 = 0.2; median 0.25. Unpaired, the column medians (100 ms, 20 GFLOP/s) would give 0.5.
        var paired = new PairedRates(new[] { 100.0, 200.0, 50.0 }, new[] { 5.0, 20.0, 100.0 });

        Assert.Equal(0.25, paired.Utilisation(1e9), 12);
        Assert.Equal(20.0, paired.MatmulMedianGflops, 12);
        var drifting = new PairedRates(new[] { 100.0, 200.0, 400.0 }, new[] { 40.0, 20.0, 10.0 }); // machine halves its speed twice
        Assert.Equal(0.25, drifting.Utilisation(1e9), 12);
    }

    [Fact]
    public void Timing_stats_interpolate_quantiles()
    {
        var stats = TimingStats.Of(new double[] { 5, 1, 4, 2, 3 });

        Assert.Equal(3, stats.MedianMs);
        Assert.Equal(1, stats.MinMs);
        Assert.Equal(1.4, stats.P10Ms, 9);
        Assert.Equal(4.6, stats.P90Ms, 9);
    }

    [Fact]
    public void Peak_memory_sees_a_64_MiB_tensor_that_is_freed_again()
    {
        if (!PeakMemory.Available) return;   // not Linux: the measurement is reported as unavailable instead
        var peak = PeakMemory.Measure(() =>
        {
            using var tensor = ones(16L << 20);   // 16 Mi floats = 64 MiB, written
        });

        Assert.NotNull(peak);
        Assert.InRange(peak!.Value, 48L << 20, 512L << 20);
    }

    [Fact]
    public void Generator_timing_runs_every_shipped_spec()
    {
        var specs = GeneratorTiming.ShippedSpecs();
        var result = GeneratorTiming.Run(repeats: 1);

        Assert.Contains(specs, s => s.Path.EndsWith("/tiny.yaml", StringComparison.Ordinal));
        Assert.Contains(specs, s => s.Path.EndsWith("/attributegan-64.yaml", StringComparison.Ordinal));
        Assert.Equal(specs.Count + 1, result.Rows.Count);
        // A delta compiles with its whole base chain: attributegan-64.yaml brings attributegan-512.yaml.
        Assert.Equal(2, result.Rows.Single(r => r.Specs.StartsWith("attributegan-64.yaml", StringComparison.Ordinal)).Files);
        var all = result.Rows[0];
        Assert.Equal(specs.Count, all.Files);
        Assert.Equal(3 * specs.Count + 1, all.GeneratedFiles);   // spec, generator, discriminator per spec + the catalogue
        Assert.All(result.Rows, row => Assert.True(row.Uncached.MedianMs > 0 && row.Cached.MedianMs >= 0));
    }

    [Fact]
    public void A_quick_bench_of_Tiny_reports_every_section()
    {
        var report = BenchSuite.Run(new BenchOptions { Models = new[] { "Tiny" }, Steps = 1, Warmup = 0, Generator = false, Frechet = false, Profile = true }, SpecCatalog.Shipped);

        var tiny = Assert.Single(report.Models);
        Assert.True(tiny.Training.ImagesPerSecond > 0 && tiny.Sampling.ImagesPerSecond > 0 && report.Matmul.Gflops > 0);
        Assert.InRange(tiny.TrainingUtilisation, 1e-6, 1.0);
        Assert.InRange(tiny.PairedTrainingUtilisation!.Value, 1e-6, 1.0);
        Assert.True(tiny.Training.Paired!.MatmulMedianGflops > 0);
        Assert.Equal(new[] { "generator.attention8", "discriminator.attention8" }, tiny.Attention.Select(a => a.Layer));
        Assert.All(tiny.Attention, a => Assert.Equal(3, a.Variants.Count));
        Assert.Equal(6, tiny.Data!.Rows.Count);
        Assert.All(tiny.Data.Rows, row => Assert.True(row.ImagesPerSecond > 0));
        Assert.Equal(TinySpec.Instance.GeneratorLayers.Count + TinySpec.Instance.DiscriminatorLayers.Count, tiny.Profile!.Layers.Count);

        var markdown = BenchMarkdown.Render(report);
        Assert.Contains("training MFU", markdown, StringComparison.Ordinal);
        Assert.Contains("| Tiny | 8 |", markdown, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(BenchMarkdown.Json(report));
        Assert.True(json.RootElement.GetProperty("models")[0].GetProperty("trainingUtilisation").GetDouble() > 0);
        Assert.True(json.RootElement.GetProperty("models")[0].GetProperty("pairedTrainingUtilisation").GetDouble() > 0);
        Assert.Equal(ModelFlops.Formula, json.RootElement.GetProperty("mfuFormula").GetString());
    }

    [Fact]
    public void Frechet_timing_measures_a_positive_distance_between_shifted_sets()
    {
        var row = FrechetTiming.Measure("test", dimensions: 64, samples: 300);

        Assert.Equal(64, row.Dimensions);
        Assert.Equal(300, row.Samples);
        Assert.True(double.IsFinite(row.Distance) && row.Distance > 0, $"distance {row.Distance}");   // the second set is shifted by 0.1 per feature
        Assert.True(row.StatisticsMs > 0 && row.DistanceMs > 0);
        Assert.Equal(row.StatisticsMs + row.DistanceMs, row.TotalMs, 9);
    }
}
