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
/// Runs the spec's own <see cref="EfficientAttention"/> modules (taken from freshly built networks, so the heads and
/// dimensions are the spec's) against <see cref="DotProductAttention"/> blocks with the same projections, on random
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
        foreach (var (name, block, shape) in layers)
        {
            long channels = shape[0], resolution = shape[1];
            using var dot = new DotProductAttention(channels, block.Heads, block.KeyDim, block.ValueDim, fused: false);
            using var fused = new DotProductAttention(channels, block.Heads, block.KeyDim, block.ValueDim, fused: true);
            var variants = new List<AttentionVariant>
            {
                Measure(Efficient, block, batch, shape, warmup, repeats),
                Measure(DotProduct, dot, batch, shape, warmup, repeats),
                Measure(Fused, fused, batch, shape, warmup, repeats),
            };
            results.Add(new AttentionResult(spec.Name, name, batch, channels, resolution, block.Heads, block.KeyDim, block.ValueDim, variants));
        }
        return results;
    }

    private static IEnumerable<(string Name, EfficientAttention Block, long[] Shape)> AttentionLayers(string network, nn.Module model, IReadOnlyList<LayerShape> table)
    {
        foreach (var (name, module) in model.named_children())
        {
            if (module is not EfficientAttention block) continue;
            var layer = table.Single(l => l.Name == name);
            yield return ($"{network}.{name}", block, layer.OutputShape.ToArray());
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
