using System;
using System.Linq;
using AttributeGan.Models.Blocks;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

public class NoiseInjectionTests
{
    [Fact]
    public void A_new_block_is_the_identity_and_its_strength_gets_a_gradient()
    {
        using var scope = torch.NewDisposeScope();
        using var block = new NoiseInjection(4);
        var x = randn(3, 4, 8, 8, generator: new torch.Generator(1));                    // (3, 4, 8, 8)
        var latent = randn(3, 16, generator: new torch.Generator(2));                    // (3, 16)

        var y = block.call(x, latent);
        Assert.True(y.equal(x).all().item<bool>(), "strength starts at 0: the block must start as the identity");

        y.pow(2).sum().backward();
        var strength = block.parameters().Single();
        Assert.Equal(new long[] { 1, 4, 1, 1 }, strength.shape);
        // d/ds Σ (x + s n)² at s = 0 is Σ 2 x n per channel: non-zero for random x and n.
        var expected = (2 * x * NoiseInjection.Noise(latent, 8, 8)).sum(new long[] { 0, 2, 3 }); // (4)
        Assert.True(torch.allclose(strength.grad!.flatten(), expected, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void An_images_noise_depends_on_its_latent_vector_and_map_size_only()
    {
        using var scope = torch.NewDisposeScope();
        var latents = randn(4, 16, generator: new torch.Generator(3));                  // (4, 16)
        var all = NoiseInjection.Noise(latents, 8, 8);                                  // (4, 1, 8, 8)
        var alone = NoiseInjection.Noise(latents[2..3], 8, 8);                          // (1, 1, 8, 8)
        var shuffled = NoiseInjection.Noise(torch.stack(new[] { latents[3], latents[2] }), 8, 8);

        Assert.True(all[2].equal(alone[0]).all().item<bool>(), "the noise of an image must not depend on its batch");
        Assert.True(all[2].equal(shuffled[1]).all().item<bool>(), "nor on its position in the batch");
        Assert.False(all[0].equal(all[1]).all().item<bool>(), "two latent vectors must get different noise");
        Assert.False(NoiseInjection.Noise(latents[0..1], 4, 4)[0].equal(all[0, .., ..4, ..4]).all().item<bool>(),
            "each map size draws its own noise");

        // Standard normal: over 4 × 64 values, mean ≈ 0 and variance ≈ 1 (5 standard errors).
        Assert.InRange(all.mean().item<float>(), -5 / 16.0, 5 / 16.0);
        Assert.InRange(all.var().item<float>(), 0.6, 1.4);
    }

    [Fact]
    public void A_scaled_block_adds_its_strength_times_the_noise_per_channel()
    {
        using var scope = torch.NewDisposeScope();
        using var block = new NoiseInjection(2);
        using (no_grad()) block.parameters().Single().copy_(tensor(new float[] { 0.5f, -2f }).view(1, 2, 1, 1));
        var x = zeros(2, 2, 4, 4);
        var latent = randn(2, 8, generator: new torch.Generator(4));
        var noise = NoiseInjection.Noise(latent, 4, 4);                                 // (2, 1, 4, 4)

        var y = block.call(x, latent);                                                  // (2, 2, 4, 4)
        Assert.True(torch.allclose(y[.., 0..1], 0.5f * noise));
        Assert.True(torch.allclose(y[.., 1..2], -2f * noise));
    }

    [Fact]
    public void Wrong_shapes_are_refused_with_the_expected_shape()
    {
        using var scope = torch.NewDisposeScope();
        using var block = new NoiseInjection(4);
        var channels = Assert.Throws<ArgumentException>(() => block.call(zeros(1, 3, 8, 8), zeros(1, 16)));
        Assert.Contains("(B, 4, H, W)", channels.Message);
        var batch = Assert.Throws<ArgumentException>(() => block.call(zeros(2, 4, 8, 8), zeros(3, 16)));
        Assert.Contains("(2, L)", batch.Message);
        Assert.Contains("channels must be positive", Assert.Throws<ArgumentException>(() => new NoiseInjection(0)).Message);
    }
}
