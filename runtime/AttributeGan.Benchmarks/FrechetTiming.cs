using System;
using System.Collections.Generic;
using System.Diagnostics;
using AttributeGan.Evaluation.Features;
using AttributeGan.Evaluation.Metrics;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>
/// The Fréchet distance of two sets of <paramref name="Samples"/> features each, split into its two costs: the streaming
/// float64 statistics (mean and covariance, fed in batches as evaluation feeds them) and the distance itself (symmetric
/// eigendecompositions of two D×D matrices).
/// </summary>
public sealed record FrechetTimingRow(string Features, int Dimensions, int Samples, double Distance, double StatisticsMs, double DistanceMs)
{
    public double TotalMs => StatisticsMs + DistanceMs;
}

/// <summary>What producing the features costs: ImageNet ResNet-18 at 224×224 from 64×64 images (null when its files are missing).</summary>
public sealed record FeatureExtractionRate(string Network, int Batch, TimingStats Batches, double ImagesPerSecond);

public sealed record FrechetTimingResult(IReadOnlyList<FrechetTimingRow> Rows, FeatureExtractionRate? Extraction);

public static class FrechetTiming
{
    /// <summary>Evaluation feeds the statistics one batch of images at a time; this is its batch.</summary>
    public const int FeedBatch = 32;

    /// <summary>
    /// Times the distance between two sets of <paramref name="samples"/> features at 512 (FD-ResNet18) and 2048 (FID
    /// Inception-V3) dimensions. The features are random but correlated (a random mixing of Gaussian noise), so the
    /// covariances are full rank like real ones and the eigensolvers do their full work.
    /// </summary>
    public static FrechetTimingResult Run(int samples = 10_000, bool extraction = true)
    {
        var rows = new List<FrechetTimingRow>();
        foreach (var (name, dimensions) in new[] { ("FD-ResNet18", 512), ("FID (Inception-V3)", 2048) })
        {
            rows.Add(Measure(name, dimensions, samples));
        }
        return new FrechetTimingResult(rows, extraction ? MeasureExtraction() : null);
    }

    public static FrechetTimingRow Measure(string name, int dimensions, int samples)
    {
        using var scope = NewDisposeScope();
        var generator = new TorchSharp.torch.Generator(7);
        using var scale = Math.Sqrt(dimensions).ToScalar();
        var mixing = randn(new long[] { dimensions, dimensions }, generator: generator).div(scale); // (D, D)
        Tensor Set(double shift) =>                                                          // (N, D), non-negative like pooled features
            matmul(randn(new long[] { samples, dimensions }, generator: generator), mixing).add(Scalars.Of(shift), Scalars.One).relu();
        var first = Set(0.0);
        var second = Set(0.1);

        var clock = Stopwatch.StartNew();
        using var a = Feed(first);
        using var b = Feed(second);
        double statisticsMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        double distance = FrechetDistance.Compute(a, b);
        double distanceMs = clock.Elapsed.TotalMilliseconds;
        return new FrechetTimingRow(name, dimensions, samples, distance, statisticsMs, distanceMs);
    }

    private static FeatureStatistics Feed(Tensor features)
    {
        var statistics = new FeatureStatistics((int)features.shape[1]);
        for (long start = 0; start < features.shape[0]; start += FeedBatch)
        {
            using var batch = features.narrow(0, start, Math.Min(FeedBatch, features.shape[0] - start)); // (≤32, D)
            statistics.Add(batch);
        }
        return statistics;
    }

    private static FeatureExtractionRate? MeasureExtraction(int batch = FeedBatch)
    {
        ImageNetResNet18Features network;
        try
        {
            network = ImageNetResNet18Features.Load(batchSize: batch);
        }
        catch (System.IO.FileNotFoundException)
        {
            return null;                                                             // the ONNX files are not next to the executable
        }
        using (network)
        {
            using var scope = NewDisposeScope();
            var images = rand(new long[] { batch, 3, 64, 64 }, generator: new TorchSharp.torch.Generator(8)); // (B, 3, 64, 64) in [0, 1]
            var time = Timing.Repeat(() => network.Features(images).Dispose(), warmup: 1, count: 5);        // (B, 512)
            return new FeatureExtractionRate(network.MetricName, batch, time, batch / (time.MedianMs * 1e-3));
        }
    }
}
