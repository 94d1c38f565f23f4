using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Inspection;

/// <summary>One layer as built and run: its output shape from a real forward pass beside what the build inferred.</summary>
public sealed record LayerReport(string Network, string Name, string Kind, long[] MeasuredShape, long Parameters, LayerShape Inferred)
{
    public bool ShapeMatches => MeasuredShape.Skip(1).SequenceEqual(Inferred.OutputShape);

    public bool ParametersMatch => Parameters == Inferred.Parameters;
}

/// <summary>What <c>describe</c> reports for a model.</summary>
public sealed record ModelReport(
    IGanSpec Spec,
    IReadOnlyList<LayerReport> Layers,
    long GeneratorParameters,
    long DiscriminatorParameters,
    long[] GeneratorOutputShape,
    long[] LogitsShape)
{
    /// <summary>Layers whose measured shape or parameter count differs from the compile-time table (empty when the build is right).</summary>
    public IEnumerable<LayerReport> Mismatches => Layers.Where(l => !l.ShapeMatches || !l.ParametersMatch);
}

/// <summary>
/// Builds a spec's generator and discriminator, runs one forward pass with every head, and records each named
/// layer's real output shape and parameter count next to the compile-time layer table.
/// </summary>
public static class ModelInspector
{
    public static ModelReport Inspect(IGanSpec spec, int batch = 2, Device? device = null)
    {
        if (batch < 2) throw new ArgumentOutOfRangeException(nameof(batch), batch, "Batch norm needs a batch of at least 2.");
        device ??= CPU;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        torch.manual_seed(0);

        using var generator = spec.CreateGenerator();
        using var discriminator = spec.CreateDiscriminator();
        generator.to(device);
        discriminator.to(device);

        var layers = new List<LayerReport>();
        var attributes = RandomCombinations(spec, batch, device);
        var noise = randn(new long[] { batch, spec.LatentSize }, device: device);

        Tensor images;
        using (generator.TraceLayers(Recorder(layers, "generator", generator, spec.GeneratorLayers)))
            images = generator.call(noise, attributes);

        DiscriminatorOutput output;
        using (discriminator.TraceLayers(Recorder(layers, "discriminator", discriminator, spec.DiscriminatorLayers)))
            output = discriminator.call(images, attributes, DiscriminatorHeads.All(quadrant: 3));

        return new ModelReport(spec, layers, Count(generator), Count(discriminator), images.shape, output.Logits.shape);
    }

    /// <summary>A (B, A) batch of valid one-hot attribute vectors, each attribute's level drawn uniformly.</summary>
    public static Tensor RandomCombinations(IGanSpec spec, int batch, Device device)
    {
        var random = new Random(batch);
        var vectors = Enumerable.Range(0, batch)
            .Select(_ => spec.Attributes.Encode(spec.Attributes.Attributes.Select(a => random.Next(a.Levels.Count)).ToArray()))
            .ToList();
        return AttributeVector.Stack(vectors, device);
    }

    public static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());

    private static Action<string, Tensor> Recorder(List<LayerReport> layers, string network, nn.Module module, IReadOnlyList<LayerShape> inferred)
    {
        var children = module.named_children().ToDictionary(c => c.name, c => c.module);
        var table = inferred.ToDictionary(l => l.Name);
        return (name, output) =>
        {
            var expected = table.TryGetValue(name, out var shape) ? shape : throw new InvalidOperationException($"Layer '{name}' of the {network} is missing from the compile-time layer table.");
            long parameters = children.TryGetValue(name, out var child) ? Count(child) : 0;
            layers.Add(new LayerReport(network, name, expected.Kind, output.shape, parameters, expected));
        };
    }
}
