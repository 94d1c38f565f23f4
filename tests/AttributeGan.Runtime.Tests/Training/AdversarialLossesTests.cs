using System;
using AttributeGan.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public class AdversarialLossesTests
{
    [Fact]
    public void Discriminator_hinge_matches_a_loop_over_every_patch()
    {
        torch.manual_seed(11);
        using var real = TensorData.RandomDouble(3, 5) * 2.0;                          // values on both sides of ±1
        using var fake = TensorData.RandomDouble(4, 5) * 2.0;

        using var loss = AdversarialLosses.Discriminator(real, fake);

        var r = TensorData.Matrix(real);
        var f = TensorData.Matrix(fake);
        double realSum = 0, fakeSum = 0;
        for (var i = 0; i < 3; i++)
            for (var p = 0; p < 5; p++)
                realSum += Math.Max(0, 1 - r[i, p]);
        for (var i = 0; i < 4; i++)
            for (var p = 0; p < 5; p++)
                fakeSum += Math.Max(0, 1 + f[i, p]);
        double expected = realSum / 15 + fakeSum / 20;

        Assert.Equal(0, loss.dim());
        Assert.Equal(expected, loss.item<double>(), 1e-12);
    }

    [Fact]
    public void Discriminator_hinge_is_zero_when_real_and_fake_are_beyond_the_margins()
    {
        using var real = torch.full(new long[] { 2, 3 }, 1.5, dtype: ScalarType.Float64);
        using var fake = torch.full(new long[] { 2, 3 }, -1.0, dtype: ScalarType.Float64);
        using var loss = AdversarialLosses.Discriminator(real, fake);
        Assert.Equal(0.0, loss.item<double>());

        using var wrong = torch.full(new long[] { 2, 3 }, 0.25, dtype: ScalarType.Float64);
        using var both = AdversarialLosses.Discriminator(wrong, wrong);
        Assert.Equal(0.75 + 1.25, both.item<double>(), 1e-14);
    }

    [Fact]
    public void Generator_hinge_is_minus_the_mean_fake_logit()
    {
        torch.manual_seed(12);
        using var fake = TensorData.RandomDouble(3, 4) * 3.0;

        using var loss = AdversarialLosses.Generator(fake);

        var f = TensorData.Matrix(fake);
        double sum = 0;
        for (var i = 0; i < 3; i++)
            for (var p = 0; p < 4; p++)
                sum += f[i, p];
        Assert.Equal(-sum / 12, loss.item<double>(), 1e-12);
    }

    [Fact]
    public void Logits_with_different_patch_counts_or_ranks_are_rejected()
    {
        using var a = torch.zeros(2, 4);
        using var b = torch.zeros(2, 5);
        using var flat = torch.zeros(8);
        Assert.Throws<ArgumentException>(() => AdversarialLosses.Discriminator(a, b));
        var e = Assert.Throws<ArgumentException>(() => AdversarialLosses.Generator(flat));
        Assert.Contains("(8)", e.Message);
    }
}
