using System;
using AttributeGan.Evaluation.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Metrics;

public class FeatureStatisticsTests
{
    [Fact]
    public void Covariance_is_the_unbiased_one_of_numpy_cov_on_a_hand_example()
    {
        // Samples (1, 2), (3, 6), (5, 4): mean (3, 4); deviations (−2, −2), (0, 2), (2, 0);
        // np.cov(x, rowvar=False) = [[8, 4], [4, 8]] / (3 − 1) = [[4, 2], [2, 4]].
        using var samples = torch.tensor(new double[] { 1, 2, 3, 6, 5, 4 }, new long[] { 3, 2 });
        using var statistics = FeatureStatistics.Of(samples);
        using var mean = statistics.Mean();
        using var covariance = statistics.Covariance();

        Assert.Equal(3, statistics.Count);
        Assert.Equal(new[] { 3.0, 4.0 }, mean.data<double>().ToArray());
        Assert.Equal(new[] { 4.0, 2.0, 2.0, 4.0 }, covariance.data<double>().ToArray());
    }

    [Fact]
    public void Batches_of_any_split_give_the_two_pass_statistics_of_all_samples()
    {
        // A large offset next to a unit spread: the case where accumulating Σx and Σxxᵀ would cancel catastrophically.
        // 3000 samples in batches that cross FeatureStatistics.MergeRows (1024): three merges of different sizes.
        using var samples = Samples(3000, 16, seed: 3, offset: 1e4);
        using var expectedMean = samples.mean(new long[] { 0 });
        using var centred = samples - expectedMean;
        using var expectedCovariance = centred.t().matmul(centred) / 2999.0;

        using var streamed = new FeatureStatistics(16);
        long start = 0;
        foreach (var size in new long[] { 1, 7, 1100, 0, 392, 1500 })
        {
            using var batch = samples.narrow(0, start, size);
            streamed.Add(batch);
            start += size;
        }

        using var mean = streamed.Mean();
        using var covariance = streamed.Covariance();
        Assert.Equal(3000, streamed.Count);
        Assert.True(MaxRelative(mean, expectedMean) < 1e-14, "mean");
        Assert.True(MaxRelative(covariance, expectedCovariance) < 1e-10, $"covariance {MaxRelative(covariance, expectedCovariance):E2}");
    }

    [Fact]
    public void Samples_added_to_statistics_given_by_their_moments_merge_with_them()
    {
        using var samples = Samples(1500, 8, seed: 11, offset: 3.0);
        using var firstPart = samples.narrow(0, 0, 600);
        using var secondPart = samples.narrow(0, 600, 900);
        using var first = FeatureStatistics.Of(firstPart);
        using var firstMean = first.Mean();
        using var firstCovariance = first.Covariance();

        using var continued = FeatureStatistics.FromMoments(firstMean, firstCovariance, 600);
        continued.Add(secondPart);
        using var all = FeatureStatistics.Of(samples);

        using var mean = continued.Mean();
        using var covariance = continued.Covariance();
        using var expectedMean = all.Mean();
        using var expectedCovariance = all.Covariance();
        Assert.Equal(1500, continued.Count);
        Assert.True(MaxRelative(mean, expectedMean) < 1e-14);
        Assert.True(MaxRelative(covariance, expectedCovariance) < 1e-12);
    }

    [Fact]
    public void Statistics_do_not_depend_on_the_order_of_the_samples()
    {
        using var samples = Samples(2500, 8, seed: 4, offset: 2.0);
        using var generator = new Generator(5);
        using var permutation = torch.randperm(2500, generator: generator);
        using var shuffled = samples.index_select(0, permutation);

        using var a = new FeatureStatistics(8);
        using var b = new FeatureStatistics(8);
        a.Add(samples);
        for (long start = 0; start < 2500; start += 100)
        {
            using var batch = shuffled.narrow(0, start, 100);
            b.Add(batch);
        }

        using var meanA = a.Mean();
        using var meanB = b.Mean();
        using var covarianceA = a.Covariance();
        using var covarianceB = b.Covariance();
        Assert.True(MaxRelative(meanB, meanA) < 1e-13);
        Assert.True(MaxRelative(covarianceB, covarianceA) < 1e-12);
        Assert.True(FrechetDistance.Compute(a, b) < 1e-10);
    }

    [Fact]
    public void Float32_features_give_the_statistics_of_their_float64_values()
    {
        using var float64 = Samples(300, 12, seed: 6, offset: 1.0);
        using var float32 = float64.to(ScalarType.Float32);
        using var sameValues = float32.to(ScalarType.Float64);                             // float32 → float64 is exact

        using var fromFloat32 = FeatureStatistics.Of(float32);
        using var fromFloat64 = FeatureStatistics.Of(sameValues);
        using var mean32 = fromFloat32.Mean();
        using var mean64 = fromFloat64.Mean();
        using var covariance32 = fromFloat32.Covariance();
        using var covariance64 = fromFloat64.Covariance();

        Assert.Equal(ScalarType.Float64, mean32.dtype);
        Assert.Equal(ScalarType.Float64, covariance32.dtype);
        Assert.True(MaxRelative(mean32, mean64) < 1e-15);
        Assert.True(MaxRelative(covariance32, covariance64) < 1e-15);

        // And the distance to another set is the same whichever dtype the features came in.
        using var other = Samples(300, 12, seed: 7, offset: 1.5);
        using var otherStatistics = FeatureStatistics.Of(other);
        Assert.Equal(FrechetDistance.Compute(fromFloat64, otherStatistics), FrechetDistance.Compute(fromFloat32, otherStatistics), 12);
    }

    [Fact]
    public void Statistics_outlive_the_dispose_scopes_they_are_created_and_filled_in()
    {
        // An evaluation loop runs each batch in its own dispose scope; held-back samples must survive it.
        using var samples = Samples(40, 6, seed: 12, offset: 0.0);
        FeatureStatistics statistics;
        using (NewDisposeScope())
        {
            statistics = new FeatureStatistics(6);
        }
        for (var i = 0; i < 40; i += 10)
        {
            using var scope = NewDisposeScope();
            var batch = samples.narrow(0, i, 10) * 1.0;                                     // a fresh tensor the scope owns
            statistics.Add(batch);
        }
        using (statistics)
        {
            using var covariance = statistics.Covariance();
            using var all = FeatureStatistics.Of(samples);
            using var expected = all.Covariance();
            Assert.True(MaxRelative(covariance, expected) < 1e-12);
        }
    }

    [Fact]
    public void Wrong_widths_too_few_samples_and_non_finite_values_are_refused()
    {
        using var statistics = new FeatureStatistics(4);
        using var wrongWidth = torch.zeros(3, 5);
        Assert.Throws<ArgumentException>(() => statistics.Add(wrongWidth));

        using var one = torch.ones(1, 4);
        statistics.Add(one);
        Assert.Throws<InvalidOperationException>(() => statistics.Covariance());

        using var withNaN = torch.tensor(new[] { 1f, float.NaN, 0f, 0f }, new long[] { 1, 4 });
        var error = Assert.Throws<ArgumentException>(() => statistics.Add(withNaN));
        Assert.Contains("NaN", error.Message);
        Assert.Equal(1, statistics.Count);
    }

    /// <summary>(n, d) float64 samples: offset + standard normal, correlated through a fixed mixing matrix.</summary>
    internal static Tensor Samples(long n, long d, int seed, double offset)
    {
        using var generator = new Generator((ulong)seed);
        using var noise = torch.randn(new long[] { n, d }, ScalarType.Float64, generator: generator);
        using var mixing = torch.randn(new long[] { d, d }, ScalarType.Float64, generator: generator) / Math.Sqrt(d);
        return noise.matmul(mixing) + offset;
    }

    internal static double MaxRelative(Tensor actual, Tensor expected)
    {
        using var difference = (actual - expected).abs().max();
        using var scale = expected.abs().max();
        return difference.item<double>() / Math.Max(scale.item<double>(), 1e-300);
    }
}
