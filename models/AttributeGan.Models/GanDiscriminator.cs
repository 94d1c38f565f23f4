using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models;

/// <summary>
/// Base of every generated discriminator: (images (B, C, R, R), attributes (B, A), heads to evaluate) →
/// patch logits plus the requested auxiliary outputs.
/// </summary>
public abstract class GanDiscriminator : nn.Module<Tensor, Tensor, DiscriminatorHeads, DiscriminatorOutput>
{
    private Action<string, Tensor>? tracer;

    protected GanDiscriminator(string name) : base(name)
    {
    }

    /// <summary>The compiled spec this network was generated from.</summary>
    public abstract IGanSpec Spec { get; }

    /// <inheritdoc cref="GanGenerator.TraceLayers"/>
    public IDisposable TraceLayers(Action<string, Tensor> observer) => LayerTracing.Attach(ref tracer, observer, () => tracer = null);

    /// <summary>Reports a layer's output to the tracer, if any. Generated code calls this after every named layer.</summary>
    protected void Trace(string layer, Tensor output) => tracer?.Invoke(layer, output);

    /// <summary>
    /// One quadrant of a square feature map: (B, C, H, W) → (B, C, H/2, W/2); quadrant 0..3 is
    /// top-left, top-right, bottom-left, bottom-right. The reconstruction loss crops the real image the same way.
    /// </summary>
    public static Tensor Quadrant(Tensor map, int quadrant)
    {
        if (quadrant is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(quadrant), quadrant, "A quadrant index is 0, 1, 2 or 3.");
        long half = map.shape[2] / 2;
        long top = quadrant / 2 * half, left = quadrant % 2 * half;
        return map[.., .., TensorIndex.Slice(top, top + half), TensorIndex.Slice(left, left + half)];
    }
}
