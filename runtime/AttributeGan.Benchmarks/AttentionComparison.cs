using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>One attention variant at one map size: forward + backward time and peak memory (null where unmeasurable).</summary>
public sealed record AttentionVariant(string Kind, TimingStats ForwardBackward, long? PeakBytes);

/// <summary>Efficient vs dot-product attention at one of a spec's attention layers, at the benchmark batch.</summary>
public sealed record AttentionResult(string Model, string Layer, int Batch, long Channels, long Resolution, long Heads, long KeyDim, long ValueDim,
    IReadOnlyList<AttentionVariant> Variants)
{
    public AttentionVariant Efficient => Variants.Single(v => v.Kind == AttentionComparison.Efficient);

    /// <summary>Dot-product time ÷ efficient time for <paramref name="kind"/>.</summary>
    public double SlowdownOf(string kind) => Variants.Single(v => v.Kind == kind).ForwardBackward.MedianMs / Efficient.ForwardBackward.MedianMs;
}

/// <summary>
/// Runs every attention layer of a spec (taken from freshly built networks, so the heads and dimensions are the spec's)
/// as each kind: the spec's own block for its kind, <see cref="EfficientAttention"/> / <see cref="DotProductAttention"/>
/// blocks with the same projections for the others (explicit and fused dot-product), on random
/// maps of the layer's shape. Each variant's peak is measured in its own pass after its timing.
/// </summary>
public static class AttentionComparison
{
    public const string Efficient = "efficient";
    public const string DotProduct = "dot-product";
    public const string Fused = "dot-product (fused SDPA)";

    public static IReadOnlyList<AttentionResult> Run(IGanSpec spec, int batch, int warmup, int repeats)
    {
        var results = new List<AttentionResult>();
        using var generator = spec.CreateGenerator();
        using var discriminator = spec.CreateDiscriminator();
        var layers = AttentionLayers("generator", generator, spec.GeneratorLayers)
            .Concat(AttentionLayers("discriminator", discriminator, spec.DiscriminatorLayers));
        foreach (var (name, block, heads, keyDim, valueDim, shape) in layers)
        {
            long channels = shape[0], resolution = shape[1];
            // The spec's own block stands for its kind (its spectral norm included); the other kinds are built alike.
            using var efficient = block is EfficientAttention ? null : new EfficientAttention(channels, heads, keyDim, valueDim);
            using var dot = block is DotProductAttention ? null : new DotProductAttention(channels, heads, keyDim, valueDim, fused: false);
            using var fused = new DotProductAttention(channels, heads, keyDim, valueDim, fused: true);
            var variants = new List<AttentionVariant>
            {
                Measure(Efficient, efficient ?? block, batch, shape, warmup, repeats),
                Measure(DotProduct, dot ?? block, batch, shape, warmup, repeats),
                Measure(Fused, fused, batch, shape, warmup, repeats),
            };
            results.Add(new AttentionResult(spec.Name, name, batch, channels, resolution, heads, keyDim, valueDim, variants));
        }
        return results;
    }

    /// <summary>Every attention layer of a network, of either kind, with its dimensions and output shape.</summary>
    private static IEnumerable<(string Name, nn.Module<Tensor, Tensor> Block, long Heads, long KeyDim, long ValueDim, long[] Shape)> AttentionLayers(
        string network, nn.Module model, IReadOnlyList<LayerShape> table)
    {
        foreach (var (name, module) in model.named_children())
        {
            var dims = module switch
            {
                EfficientAttention e => (e.Heads, e.KeyDim, e.ValueDim),
                DotProductAttention d => (d.Heads, d.KeyDim, d.ValueDim),
                _ => ((long, long, long)?)null,
            };
            if (dims is not var (heads, keyDim, valueDim)) continue;
            var layer = table.Single(l => l.Name == name);
            yield return ($"{network}.{name}", (nn.Module<Tensor, Tensor>)module, heads, keyDim, valueDim, layer.OutputShape.ToArray());
        }
    }

    private static AttentionVariant Measure(string kind, nn.Module<Tensor, Tensor> block, int batch, long[] shape, int warmup, int repeats)
    {
        block.train();
        using var outer = NewDisposeScope();
        var generator = new torch.Generator(7);
        var input = randn(new long[] { batch, shape[0], shape[1], shape[2] }, generator: generator);   // (B, C, H, W)
        var upstream = randn(input.shape, generator: generator);                                      // (B, C, H, W), dL/dy

        void Step()
        {
            using var scope = NewDisposeScope();
            var x = input.detach().requires_grad_(true);                                              // (B, C, H, W)
            var y = block.call(x);                                                                    // (B, C, H, W)
            (y * upstream).sum().backward();
            block.zero_grad();
        }

        var time = Timing.Repeat(Step, warmup, repeats);
        var peak = PeakMemory.Measure(Step);
        return new AttentionVariant(kind, time, peak);
    }
}
