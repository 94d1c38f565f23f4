using System;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public class GradientPenaltyTests
{
    [Theory]
    [InlineData(GradientPenaltyKind.R1)]
    [InlineData(GradientPenaltyKind.OneCentred)]
    public void The_penalty_matches_finite_differences_of_the_discriminator_in_float64(GradientPenaltyKind kind)
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(21);
        var spec = TinySpec.Instance;
        using var discriminator = spec.CreateDiscriminator();
        discriminator.to(ScalarType.Float64);
        discriminator.eval();                                                            // images independent, no state updates
        var images = randn(new long[] { 3, spec.ImageChannels, spec.Resolution, spec.Resolution }, dtype: ScalarType.Float64);
        var attributes = zeros(new long[] { 3, spec.Attributes.Width }, dtype: ScalarType.Float64);
        attributes[.., 0] = 1;
        attributes[.., 3] = 1;

        var penalty = GradientPenalty.Compute(discriminator, images, attributes, kind).item<double>();

        // Independent of autograd's second-order graph: ‖∇ₓ D(x_b)‖² from a central difference along the gradient g_b,
        // (D(x + ε g) − D(x − ε g)) / 2ε = ⟨∇D, g⟩ = ‖g‖² (g itself taken from a plain first-order backward).
        double D(Tensor x) => discriminator.call(x, attributes, DiscriminatorHeads.LogitsOnly).Logits.mean(new long[] { 1 }).sum().item<double>();
        var input = images.clone().requires_grad_(true);
        discriminator.call(input, attributes, DiscriminatorHeads.LogitsOnly).Logits.mean(new long[] { 1 }).sum().backward();
        var g = input.grad!.detach();                                                    // (3, C, H, W)
        const double epsilon = 1e-6;
        var squaredNorms = Enumerable.Range(0, 3).Select(b =>
        {
            var direction = zeros_like(g);
            direction[b] = g[b];
            return (D(images + epsilon * direction) - D(images - epsilon * direction)) / (2 * epsilon);
        }).ToArray();
        double expected = kind == GradientPenaltyKind.R1
            ? squaredNorms.Average()
            : squaredNorms.Select(n => Math.Pow(Math.Sqrt(n) - 1, 2)).Average();

        Assert.True(squaredNorms.All(n => n > 0));
        Assert.Equal(expected, penalty, expected * 1e-6);
    }

    [Fact]
    public void The_penalty_trains_the_discriminators_weights()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(22);
        var spec = TinySpec.Instance;
        using var discriminator = spec.CreateDiscriminator();
        var images = randn(2, spec.ImageChannels, spec.Resolution, spec.Resolution);
        var attributes = zeros(2, spec.Attributes.Width);

        GradientPenalty.Compute(discriminator, images, attributes, GradientPenaltyKind.R1).backward();

        var weights = discriminator.named_parameters().Where(p => p.name.EndsWith("weight", StringComparison.Ordinal)).ToArray();
        var reached = weights.Where(p => p.parameter.grad is { } grad && grad.abs().sum().item<float>() > 0).Select(p => p.name).ToArray();
        Assert.Contains(reached, name => name.StartsWith("from_image", StringComparison.Ordinal));
        Assert.Contains(reached, name => name.StartsWith("logits", StringComparison.Ordinal));
        Assert.All(weights, p => Assert.True(p.parameter.grad is null || torch.isfinite(p.parameter.grad).all().item<bool>(), p.name));
    }

    [Fact]
    public void The_penalty_is_due_every_k_steps_from_the_first_and_never_at_weight_zero()
    {
        var everyFour = new GradientPenaltySettings(GradientPenaltyKind.R1, 10, 4);
        Assert.Equal(new long[] { 0, 4, 8 }, Enumerable.Range(0, 10).Select(i => (long)i).Where(s => GradientPenalty.Due(everyFour, s)));
        Assert.False(GradientPenalty.Due(everyFour with { Weight = 0 }, 0));
        Assert.False(GradientPenalty.Due(null, 0));
    }
}
