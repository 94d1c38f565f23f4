using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>How <see cref="AttributeProjection"/> pools the features over positions: <c>discriminator.projection_pooling</c>.</summary>
public enum ProjectionPooling
{
    Mean,
    Sum,
}

/// <summary>
/// Projection-discriminator term (Miyato-style): logits + ⟨embed(attributes), pooled features⟩, the inner product
/// broadcast over every patch logit. Pooling is the mean over positions by default: without spectral normalisation
/// Miyato's sum over an 8×8 map makes the term 64× larger than the patch logits it is added to, and the hinge loss
/// explodes; <see cref="ProjectionPooling.Sum"/> gives the paper's form, for discriminators with spectral normalisation.
/// </summary>
public sealed class AttributeProjection : nn.Module<Tensor, Tensor, Tensor, Tensor>
{
    private readonly Dense embed;

    private readonly long attributeWidth;
    private readonly long channels;
    private readonly ProjectionPooling pooling;

    public AttributeProjection(long attributeWidth, long channels, bool spectralNorm = false, ProjectionPooling pooling = ProjectionPooling.Mean)
        : base(nameof(AttributeProjection))
    {
        BlockArguments.Positive(attributeWidth, nameof(AttributeProjection));
        BlockArguments.Positive(channels, nameof(AttributeProjection));

        this.attributeWidth = attributeWidth;
        this.channels = channels;
        this.pooling = pooling;
        embed = new Dense(attributeWidth, channels, bias: false, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor features, Tensor attributes, Tensor logits)
    {
        // features: (B, C, h, w), attributes: (B, A), logits: (B, P)
        if (features.dim() != 4 || features.shape[1] != channels)
        {
            throw new ArgumentException($"AttributeProjection expects features (B, {channels}, h, w), got ({string.Join(", ", features.shape)}).", nameof(features));
        }
        var b = features.shape[0];
        if (attributes.dim() != 2 || attributes.shape[0] != b || attributes.shape[1] != attributeWidth)
        {
            throw new ArgumentException($"AttributeProjection expects attributes ({b}, {attributeWidth}), got ({string.Join(", ", attributes.shape)}).", nameof(attributes));
        }
        if (logits.dim() != 2 || logits.shape[0] != b)
        {
            throw new ArgumentException($"AttributeProjection expects logits ({b}, P), got ({string.Join(", ", logits.shape)}).", nameof(logits));
        }

        using var scope = torch.NewDisposeScope();
        var embedded = embed.call(attributes);                                           // (B, C)
        var pooled = pooling == ProjectionPooling.Sum                                    // (B, C)
            ? features.sum(new long[] { 2, 3 })
            : features.mean(new long[] { 2, 3 });
        var projection = (embedded * pooled).sum(1, keepdim: true);                      // (B, 1)
        var result = logits.add(projection, Scalars.One);                                // (B, P)
        return result.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            embed.Dispose();
        }
        base.Dispose(disposing);
    }
}
