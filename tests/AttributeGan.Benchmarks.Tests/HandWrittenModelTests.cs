using System.Linq;
using AttributeGan.HandWritten;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks.Tests;

/// <summary>
/// The hand-written AttributeGan64 is the same network as the generated one: same parameter names, shapes and counts,
/// and, with the weights copied across, the same outputs. Without this the hand-written ÷ generated timing means nothing.
/// </summary>
public sealed class HandWrittenModelTests
{
    private static readonly IGanSpec Generated = AttributeGan64Spec.Instance;

    [Fact]
    public void Parameter_counts_equal_the_generated_networks_and_the_compile_time_counts()
    {
        var spec = new HandWrittenSpec(HandWrittenOps.Current);
        using var generator = spec.CreateGenerator();
        using var discriminator = spec.CreateDiscriminator();
        using var generatedGenerator = Generated.CreateGenerator();
        using var generatedDiscriminator = Generated.CreateDiscriminator();

        Assert.Equal(1_148_911L, Count(generator));                                // with the noise strengths: +240
        Assert.Equal(794_857L, Count(discriminator));                               // minibatch std channel +128, classifier 128·16 + 16
        Assert.Equal(Generated.GeneratorParameters, Count(generatedGenerator));
        Assert.Equal(Generated.DiscriminatorParameters, Count(generatedDiscriminator));
        Assert.Equal(Names(generatedGenerator), Names(generator));
        Assert.Equal(Names(generatedDiscriminator), Names(discriminator));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void With_copied_weights_the_generator_gives_the_generated_output(bool current)
    {
        torch.manual_seed(1);
        using var scope = NewDisposeScope();
        using var generated = Generated.CreateGenerator();
        using var hand = new HandWrittenSpec(current ? HandWrittenOps.Current : HandWrittenOps.Original).CreateGenerator();
        // The noise strengths start at 0: give them values, so the per-pixel noise path is compared too.
        using (no_grad())
            foreach (var (name, parameter) in generated.named_parameters())
                if (name.EndsWith(".strength", System.StringComparison.Ordinal)) parameter.uniform_(0.5, 1.0);
        WeightCopy.Copy(generated, hand);
        var noise = randn(4, Generated.LatentSize);
        var attributes = Attributes(4);

        foreach (var training in new[] { true, false })
        {
            generated.train(training);
            hand.train(training);
            var expected = generated.call(noise, attributes);                              // (4, 3, 64, 64)
            var actual = hand.call(noise, attributes);
            Assert.Equal(expected.shape, actual.shape);
            Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()} (train {training})");
        }
    }

    [Fact]
    public void With_copied_weights_the_discriminator_gives_the_generated_outputs_for_every_head()
    {
        torch.manual_seed(2);
        using var scope = NewDisposeScope();
        using var generated = Generated.CreateDiscriminator();
        using var hand = new HandWrittenSpec(HandWrittenOps.Current).CreateDiscriminator();
        WeightCopy.Copy(generated, hand);
        var images = rand(4, 3, 64, 64) * 2 - 1;
        var attributes = Attributes(4);

        var expected = generated.call(images, attributes, DiscriminatorHeads.All(quadrant: 2));
        var actual = hand.call(images, attributes, DiscriminatorHeads.All(quadrant: 2));

        AssertClose(expected.Logits, actual.Logits);
        AssertClose(expected.Embedding!, actual.Embedding!);
        AssertClose(expected.AttributeEmbedding!, actual.AttributeEmbedding!);
        AssertClose(expected.AttributeLogits!, actual.AttributeLogits!);
        Assert.Equal(2, actual.Reconstructions.Count);
        for (int i = 0; i < 2; i++) AssertClose(expected.Reconstructions[i], actual.Reconstructions[i]);
    }

    [Fact]
    public void Copying_refuses_networks_with_different_parameters()
    {
        using var generator = Generated.CreateGenerator();
        using var discriminator = new HandWrittenSpec(HandWrittenOps.Current).CreateDiscriminator();
        Assert.Throws<System.InvalidOperationException>(() => WeightCopy.Copy(generator, discriminator));
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(actual.allclose(expected, rtol: 1e-4, atol: 1e-5), $"max difference {(actual - expected).abs().max().item<float>()}");
    }

    private static Tensor Attributes(int batch) => AttributeVector.Stack(
        Enumerable.Range(0, batch).Select(i => Generated.Attributes.Encode(Generated.Attributes.Attributes.Select((a, k) => (i + k) % a.Levels.Count).ToArray())).ToList());

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    private static string[] Names(nn.Module module) =>
        module.state_dict().Select(p => WeightCopy.Flat(p.Key) + ":" + string.Join("x", p.Value.shape)).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
}
