using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>
/// Holds every compiled spec's build-time numbers (layer shapes, parameter counts) against the real TorchSharp
/// modules, and checks that a training-like forward and backward pass reaches every parameter.
/// </summary>
public class GeneratedModelTests
{
    public static IEnumerable<object[]> Specs() => ModelCatalog.All.Select(s => new object[] { s.Name });

    [Fact]
    public void The_catalogue_lists_every_shipped_spec()
    {
        var names = ModelCatalog.All.Select(s => s.Name).ToList();
        Assert.Equal(new[] { "AttributeGan256", "AttributeGan512", "AttributeGan512NoAttention", "AttributeGan512NoContrastive", "AttributeGan64", "AttributeGan64NoAttention", "AttributeGan64NoContrastive", "BigGan512", "BigGan64", "Tiny" }, names);
        Assert.Same(TinySpec.Instance, ModelCatalog.Find("tiny"));
        Assert.Null(ModelCatalog.Find("Nope"));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Compile_time_shapes_and_parameter_counts_equal_the_modules(string name)
    {
        var spec = ModelCatalog.Find(name)!;
        using var scope = NewDisposeScope();
        using var generator = spec.CreateGenerator();
        using var discriminator = spec.CreateDiscriminator();

        Assert.Equal(spec.GeneratorParameters, generator.parameters().Sum(p => p.numel()));
        Assert.Equal(spec.DiscriminatorParameters, discriminator.parameters().Sum(p => p.numel()));
        AssertLayerParameters(generator, spec.GeneratorLayers);
        AssertLayerParameters(discriminator, spec.DiscriminatorLayers);

        var seen = new Dictionary<string, long[]>();
        var (noise, attributes) = Inputs(spec, batch: 2);
        using var _ = no_grad();
        Tensor images;
        using (generator.TraceLayers((layer, output) => seen["G." + layer] = output.shape))
            images = generator.call(noise, attributes);
        using (discriminator.TraceLayers((layer, output) => seen["D." + layer] = output.shape))
            discriminator.call(images, attributes, DiscriminatorHeads.All(quadrant: 1));

        foreach (var layer in spec.GeneratorLayers) Assert.Equal(layer.WithBatch(2), seen["G." + layer.Name]);
        foreach (var layer in spec.DiscriminatorLayers) Assert.Equal(layer.WithBatch(2), seen["D." + layer.Name]);
        Assert.Equal(spec.GeneratorLayers.Count + spec.DiscriminatorLayers.Count, seen.Count);
        Assert.Equal(new long[] { 2, spec.ImageChannels, spec.Resolution, spec.Resolution }, images.shape);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Forward_and_backward_reach_every_parameter(string name)
    {
        var spec = ModelCatalog.Find(name)!;
        torch.manual_seed(1);
        using var scope = NewDisposeScope();
        using var generator = spec.CreateGenerator();
        using var discriminator = spec.CreateDiscriminator();
        var (noise, attributes) = Inputs(spec, batch: 2);

        var images = generator.call(noise, attributes);
        using var output = discriminator.call(images, attributes, DiscriminatorHeads.All(quadrant: 2));
        var loss = output.Logits.mean();
        if (output.Embedding is not null) loss = loss + (output.Embedding * output.AttributeEmbedding!).sum();
        foreach (var reconstruction in output.Reconstructions) loss = loss + reconstruction.square().mean();
        if (output.AttributeLogits is not null) loss = loss + output.AttributeLogits.square().mean();
        loss.backward();

        Assert.Equal(spec.Heads.ReconstructionResolutions.Count, output.Reconstructions.Count);
        Assert.Equal(spec.Heads.ContrastiveResolution is null, output.Embedding is null);
        Assert.Equal(spec.Heads.ClassifierResolution is null, output.AttributeLogits is null);
        foreach (var (network, module) in new (string, nn.Module)[] { ("generator", generator), ("discriminator", discriminator) })
        {
            foreach (var (parameterName, parameter) in module.named_parameters())
            {
                // A softmax ignores a constant shift, so the excitation's context bias cannot affect anything: it is
                // the one frozen parameter, and it gets no gradient.
                bool frozen = parameterName.EndsWith("to_context.bias");
                Assert.Equal(!frozen, parameter.requires_grad);
                if (frozen)
                {
                    Assert.True(parameter.grad is null, $"{spec.Name} {network}: frozen '{parameterName}' got a gradient");
                    continue;
                }
                Assert.True(parameter.grad is not null, $"{spec.Name} {network}: '{parameterName}' got no gradient");
                Assert.True(parameter.grad!.abs().sum().item<float>() > 0, $"{spec.Name} {network}: '{parameterName}' has an all-zero gradient");
            }
        }
    }

    [Fact]
    public void Typed_combinations_encode_to_one_hot_and_mix_for_interpolation()
    {
        var severe = new AttributeGan512Spec.Combination(
            AttributeGan512Spec.CellCrowding.Severe, AttributeGan512Spec.CellPolarity.CompletelyLacking,
            AttributeGan512Spec.Mitosis.Frequent, AttributeGan512Spec.Nucleoli.Prominent, AttributeGan512Spec.Pleomorphism.Moderate).Encode();
        var normal = new AttributeGan512Spec.Combination(
            AttributeGan512Spec.CellCrowding.Normal, AttributeGan512Spec.CellPolarity.Normal,
            AttributeGan512Spec.Mitosis.Rare, AttributeGan512Spec.Nucleoli.Inconspicuous, AttributeGan512Spec.Pleomorphism.None).Encode();

        Assert.Equal(16, AttributeGan512Spec.AttributeWidth);
        Assert.Equal(new float[] { 0, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0 }, severe.Values);
        var halfway = AttributeVector.Lerp(normal, severe, 0.25f);
        Assert.Equal(0.75f, halfway.Values[0]);
        Assert.Equal(0.25f, halfway.Values[3]);
        var expected = new[] { 0.25f, 0.25f, 0.25f, 0.25f, 0.25f * 2 / 3 };
        var actual = halfway.NormalisedLevels();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 5);
    }

    private static (Tensor Noise, Tensor Attributes) Inputs(IGanSpec spec, int batch)
    {
        var levels = Enumerable.Range(0, batch).Select(row => spec.Attributes.Encode(spec.Attributes.Attributes.Select(a => row % a.Levels.Count).ToArray())).ToList();
        return (randn(batch, spec.LatentSize), AttributeVector.Stack(levels));
    }

    private static void AssertLayerParameters(nn.Module module, IReadOnlyList<LayerShape> layers)
    {
        var children = module.named_children().ToDictionary(c => c.name, c => c.module);
        Assert.Equal(layers.Select(l => l.Name).OrderBy(n => n), children.Keys.OrderBy(n => n));
        foreach (var layer in layers)
            Assert.True(layer.Parameters == children[layer.Name].parameters().Sum(p => p.numel()),
                $"{module.GetName()}.{layer.Name}: build-time {layer.Parameters:N0} parameters, module has {children[layer.Name].parameters().Sum(p => p.numel()):N0}");
    }
}
