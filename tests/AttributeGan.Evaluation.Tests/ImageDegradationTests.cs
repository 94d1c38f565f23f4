using System;
using System.Linq;
using AttributeGan.Evaluation.Classifier;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests;

public class ImageDegradationTests
{
    [Fact]
    public void With_probability_zero_the_images_come_back_unchanged()
    {
        using var scope = NewDisposeScope();
        var images = rand(4, 3, 8, 8);
        var same = new ImageDegradation(Probability: 0).Apply(images, new SeededRandom(1));
        Assert.True(same.equal(images).all().item<bool>());
    }

    // Float32 images are blurred in float32 (a rounding per tap); float64 images stay float64 throughout (a float64
    // classifier's inputs), so they meet the reference to the last bits.
    [Theory]
    [InlineData(ScalarType.Float32, 1e-6)]
    [InlineData(ScalarType.Float64, 1e-13)]
    public void The_blur_equals_a_float64_separable_gaussian_with_reflected_edges(ScalarType dtype, double tolerance)
    {
        using var scope = NewDisposeScope();
        torch.manual_seed(5);
        const int B = 2, C = 3, H = 6, W = 7;
        var images = rand(B, C, H, W).to(dtype);
        var degradation = new ImageDegradation(Probability: 1, MaxBlurSigma: 1, MaxNoiseSigma: 0);
        var degraded = degradation.Apply(images, new SeededRandom(11));
        Assert.Equal(dtype, degraded.dtype);
        var blurred = degraded.to(ScalarType.Float64);

        // The σ each image drew, replayed from the same seed: chance, blur, noise per image.
        var replay = new SeededRandom(11);
        var sigmas = new double[B];
        for (int i = 0; i < B; i++)
        {
            Assert.True(replay.Chance(1));
            sigmas[i] = replay.Uniform(0, 1);
            replay.Uniform(0, 0);
        }

        var x = images.to(ScalarType.Float64).data<double>().ToArray();
        var actual = blurred.data<double>().ToArray();
        static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
        for (int b = 0; b < B; b++)
        {
            var k = Enumerable.Range(-2, 5).Select(d => Math.Exp(-d * d / (2 * sigmas[b] * sigmas[b]))).ToArray();
            double sum = k.Sum();
            for (int c = 0; c < C; c++)
            for (int r = 0; r < H; r++)
            for (int col = 0; col < W; col++)
            {
                double expected = 0;
                for (int dr = -2; dr <= 2; dr++)
                for (int dc = -2; dc <= 2; dc++)
                    expected += k[dr + 2] * k[dc + 2] / (sum * sum) * x[((b * C + c) * H + Reflect(r + dr, H)) * W + Reflect(col + dc, W)];
                Assert.Equal(Math.Clamp(expected, 0, 1), actual[((b * C + c) * H + r) * W + col], tolerance);
            }
        }
    }

    [Fact]
    public void The_noise_has_the_drawn_standard_deviation_and_the_same_seed_gives_the_same_images()
    {
        using var scope = NewDisposeScope();
        var grey = full(new long[] { 3, 3, 64, 64 }, 0.5f);
        var degradation = new ImageDegradation(Probability: 1, MaxBlurSigma: 0, MaxNoiseSigma: 0.2);
        var noisy = degradation.Apply(grey, new SeededRandom(3));
        Assert.True(noisy.equal(degradation.Apply(grey, new SeededRandom(3))).all().item<bool>());
        Assert.False(noisy.equal(degradation.Apply(grey, new SeededRandom(4))).all().item<bool>());

        var replay = new SeededRandom(3);
        for (int i = 0; i < 3; i++)
        {
            replay.Chance(1);
            replay.Uniform(0, 0);
            double sigma = replay.Uniform(0, 0.2);
            // 12,288 values per image: the sample deviation is within a few per cent of σ (σ ≤ 0.2 keeps 0.5 ± 2.5σ inside [0, 1]).
            Assert.Equal(sigma, noisy[i].std().item<float>(), 0.03 * sigma + 1e-4);
        }
    }

    [Theory]
    [InlineData(-0.1, 1, 0.05, "Probability")]
    [InlineData(0.5, 1.5, 0.05, "MaxBlurSigma")]
    [InlineData(0.5, 1, -1, "MaxNoiseSigma")]
    public void Settings_out_of_range_are_refused_naming_the_setting(double probability, double blur, double noise, string property)
    {
        var error = Assert.Throws<InvalidSettingException>(new ImageDegradation(probability, blur, noise).Validate);
        Assert.Equal(property, error.Property);
        // and through the classifier's options, which validate their degradation
        Assert.Throws<InvalidSettingException>(new ClassifierTrainOptions(Degradation: new ImageDegradation(probability, blur, noise)).Validate);
    }
}
