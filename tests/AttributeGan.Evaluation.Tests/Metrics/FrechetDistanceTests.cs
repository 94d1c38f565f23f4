using System;
using System.Linq;
using AttributeGan.Evaluation.Metrics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Metrics;

public class FrechetDistanceTests
{
    [Fact]
    public void Identical_Gaussians_are_at_distance_zero()
    {
        using var mean = torch.linspace(-1, 1, 64, ScalarType.Float64);
        using var covariance = RandomCovariance(64, seed: 1);
        using var a = FeatureStatistics.FromMoments(mean, covariance, 1000);
        using var b = FeatureStatistics.FromMoments(mean, covariance, 50);

        var distance = FrechetDistance.Compute(a, b);
        // Relative to the trace (≈ 64), the terms that cancel.
        Assert.InRange(distance, 0.0, 1e-10);
    }

    [Fact]
    public void Diagonal_covariances_give_the_mean_term_plus_the_squared_differences_of_the_standard_deviations()
    {
        var variances1 = new[] { 0.5, 1.0, 4.0, 9.0, 0.01 };
        var variances2 = new[] { 2.0, 1.0, 1.0, 16.0, 0.04 };
        var means1 = new[] { 0.0, 1.0, -2.0, 3.0, 0.5 };
        var means2 = new[] { 1.0, 1.0, 0.0, 3.0, -0.5 };
        using var mean1 = torch.tensor(means1);
        using var mean2 = torch.tensor(means2);
        using var covariance1 = torch.diag(torch.tensor(variances1));
        using var covariance2 = torch.diag(torch.tensor(variances2));

        var expected = Enumerable.Range(0, 5).Sum(i =>
            Math.Pow(means1[i] - means2[i], 2) + Math.Pow(Math.Sqrt(variances1[i]) - Math.Sqrt(variances2[i]), 2));

        Assert.Equal(expected, FrechetDistance.Compute(mean1, covariance1, mean2, covariance2), 12);
    }

    [Fact]
    public void Non_commuting_2x2_covariances_match_the_closed_form_of_a_2x2_square_root()
    {
        // Σ₁ = [[2, 1], [1, 2]] and Σ₂ = [[1, 0], [0, 3]] do not commute (Σ₁Σ₂ = [[2, 3], [1, 6]], Σ₂Σ₁ = [[2, 1], [3, 6]]).
        // For a 2×2 matrix M with eigenvalues λ₁, λ₂ ≥ 0: (√λ₁ + √λ₂)² = tr M + 2√det M, so
        // Tr(M^{1/2}) = √(tr(Σ₁Σ₂) + 2√(det Σ₁ det Σ₂)) = √(8 + 2√(3·3)) = √14, with no eigen-decomposition at all.
        // d² = |(0, 0) − (1, 2)|² + tr Σ₁ + tr Σ₂ − 2√14 = 5 + 4 + 4 − 2√14 = 5.516685226452117…
        using var mean1 = torch.tensor(new[] { 0.0, 0.0 });
        using var mean2 = torch.tensor(new[] { 1.0, 2.0 });
        using var covariance1 = torch.tensor(new[] { 2.0, 1.0, 1.0, 2.0 }, new long[] { 2, 2 });
        using var covariance2 = torch.tensor(new[] { 1.0, 0.0, 0.0, 3.0 }, new long[] { 2, 2 });

        var distance = FrechetDistance.Compute(mean1, covariance1, mean2, covariance2);

        Assert.Equal(13 - 2 * Math.Sqrt(14), distance, 13);
        Assert.Equal(5.516685226452117, distance, 12);
    }

    [Fact]
    public void Identical_sample_sets_are_at_distance_zero_and_a_shift_adds_its_squared_length()
    {
        using var samples = FeatureStatisticsTests.Samples(400, 32, seed: 8, offset: 0.5);
        using var shift = torch.linspace(-0.3, 0.3, 32, ScalarType.Float64);
        using var shifted = samples + shift;
        using var a = FeatureStatistics.Of(samples);
        using var b = FeatureStatistics.Of(samples);
        using var c = FeatureStatistics.Of(shifted);

        Assert.InRange(FrechetDistance.Compute(a, b), 0.0, 1e-10);
        // Same covariance, so the trace terms cancel and only |shift|² remains.
        using var squaredLength = shift.dot(shift);
        Assert.Equal(squaredLength.item<double>(), FrechetDistance.Compute(a, c), 9);
    }

    [Fact]
    public void Fewer_samples_than_dimensions_give_the_eigenvalues_of_the_non_symmetric_product()
    {
        // 20 samples in 64 dimensions: both covariances have rank 19 and 45 zero eigenvalues.
        using var first = FeatureStatisticsTests.Samples(20, 64, seed: 9, offset: 0.0);
        using var second = FeatureStatisticsTests.Samples(20, 64, seed: 10, offset: 0.2);
        using var a = FeatureStatistics.Of(first);
        using var b = FeatureStatistics.Of(second);

        var distance = FrechetDistance.Compute(a, b);

        // Independently: Tr((Σ₁Σ₂)^{1/2}) from the general (complex) eigenvalues of the product itself.
        using var mean1 = a.Mean();
        using var mean2 = b.Mean();
        using var covariance1 = a.Covariance();
        using var covariance2 = b.Covariance();
        using var product = covariance1.matmul(covariance2);
        using var eigenvalues = linalg.eigvals(product);
        using var real = eigenvalues.real.clamp_min(0.0);
        using var difference = mean1 - mean2;
        var expected = difference.dot(difference).item<double>() + covariance1.trace().item<double>() + covariance2.trace().item<double>()
            - 2 * real.sqrt().sum().item<double>();

        Assert.True(double.IsFinite(distance));
        Assert.True(distance > 1.0);
        // The non-symmetric solver's zero eigenvalues come out as ±1e-16-sized noise whose square roots add up to ~1e-7.
        Assert.Equal(expected, distance, 5);
        Assert.InRange(FrechetDistance.Compute(a, a), 0.0, 1e-9);
    }

    [Fact]
    public void Statistics_of_different_widths_are_refused()
    {
        using var four = torch.rand(3, 4);
        using var five = torch.rand(3, 5);
        using var a = FeatureStatistics.Of(four);
        using var b = FeatureStatistics.Of(five);
        Assert.Throws<ArgumentException>(() => FrechetDistance.Compute(a, b));
    }

    /// <summary>A (d, d) symmetric positive definite matrix WWᵀ/d + 0.1·I from a fixed seed.</summary>
    private static Tensor RandomCovariance(long d, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var w = torch.randn(new long[] { d, d }, ScalarType.Float64, generator: generator);
        using var identity = torch.eye(d, dtype: ScalarType.Float64);
        return w.matmul(w.t()) / d + identity * 0.1;
    }
}
