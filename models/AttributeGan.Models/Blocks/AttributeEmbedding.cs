using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>Attribute projector l(y) of the conditional contrastive loss: linear A → dim, L2-normalised. (B, A) → (B, dim).</summary>
public sealed class AttributeEmbedding : nn.Module<Tensor, Tensor>
{
    private readonly Dense project;

    private readonly long attributeWidth;

    public AttributeEmbedding(long attributeWidth, long dim, bool spectralNorm = false) : base(nameof(AttributeEmbedding))
    {
        BlockArguments.Positive(attributeWidth, nameof(AttributeEmbedding));
        BlockArguments.Positive(dim, nameof(AttributeEmbedding));

        this.attributeWidth = attributeWidth;
        project = new Dense(attributeWidth, dim, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor attributes)
    {
        // attributes: (B, A)
        if (attributes.dim() != 2 || attributes.shape[1] != attributeWidth)
        {
            throw new ArgumentException(
                $"AttributeEmbedding expects (B, {attributeWidth}), got ({string.Join(", ", attributes.shape)}).", nameof(attributes));
        }

        using var scope = torch.NewDisposeScope();
        var embedded = project.call(attributes);                                         // (B, dim)
        var result = nn.functional.normalize(embedded, p: 2, dim: 1);                    // (B, dim)
        return result.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            project.Dispose();
        }
        base.Dispose(disposing);
    }
}
