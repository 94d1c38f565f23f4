using System.Linq;
using AttributeGan.Models.Layers;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests.Layers;

/// <summary>Spectral normalisation as torch.nn.utils.spectral_norm defines it, held against an exact singular value decomposition.</summary>
public sealed class SpectralNormTests
{
    [Fact]
    public void Power_iteration_over_training_passes_makes_the_largest_singular_value_one()
    {
        torch.manual_seed(4);
        using var scope = NewDisposeScope();
        var weight = randn(32, 16, 3, 3);
        var u = SpectralNorm.InitialVector(32);

        Tensor normalised = weight;
        for (int pass = 0; pass < 150; pass++) normalised = SpectralNorm.Normalize(weight, u, training: true);   // the top two σ of a random matrix are close: slow convergence

        double sigma = linalg.svdvals(normalised.flatten(1).to(ScalarType.Float64))[0].item<double>();
        Assert.InRange(sigma, 0.999, 1.001);
        double original = linalg.svdvals(weight.flatten(1).to(ScalarType.Float64))[0].item<double>();
        Assert.True(original > 2, $"the test weight's own σ is {original}");
    }

    [Fact]
    public void Evaluation_passes_leave_the_estimate_alone_and_training_passes_move_it()
    {
        torch.manual_seed(5);
        using var scope = NewDisposeScope();
        var weight = randn(8, 4);
        var u = SpectralNorm.InitialVector(8);
        var before = u.clone();

        SpectralNorm.Normalize(weight, u, training: false);
        Assert.True(u.Equals(before));
        SpectralNorm.Normalize(weight, u, training: true);
        Assert.False(u.Equals(before));
        Assert.Equal(1.0, u.norm().item<float>(), 5);
    }

    [Fact]
    public void A_spectral_convolution_computes_with_the_weight_divided_by_sigma_and_keeps_its_parameter_names()
    {
        torch.manual_seed(6);
        using var scope = NewDisposeScope();
        using var conv = new Conv(6, 4, 3, padding: 1, spectralNorm: true);
        conv.eval();                                                                       // the estimate stays put
        var x = randn(2, 6, 5, 5);

        var expected = nn.functional.conv2d(x, conv.EffectiveWeight(), conv.Bias, padding: new long[] { 1, 1 });
        var actual = conv.call(x);

        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6));
        Assert.Equal(new[] { "weight", "bias" }, conv.named_parameters().Select(p => p.name));
        Assert.Equal(new[] { "weight_u" }, conv.named_buffers().Select(b => b.name));
        Assert.Empty(new Conv(6, 4, 3).named_buffers());
    }
}
