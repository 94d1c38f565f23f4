using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>Attribute gate on the patch logits: logits + gate(attributes) ⊙ logits, with gate a bias-free linear map A → P.</summary>
public sealed class AttributeGate : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Dense gate;

    private readonly long attributeWidth;
    private readonly long logitCount;

    public AttributeGate(long attributeWidth, long logitCount, bool spectralNorm = false) : base(nameof(AttributeGate))
    {
        BlockArguments.Positive(attributeWidth, nameof(AttributeGate));
        BlockArguments.Positive(logitCount, nameof(AttributeGate));

        this.attributeWidth = attributeWidth;
        this.logitCount = logitCount;
        gate = new Dense(attributeWidth, logitCount, bias: false, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor attributes, Tensor logits)
    {
        // attributes: (B, A), logits: (B, P)
        if (attributes.dim() != 2 || attributes.shape[1] != attributeWidth)
        {
            throw new ArgumentException($"AttributeGate expects attributes (B, {attributeWidth}), got ({string.Join(", ", attributes.shape)}).", nameof(attributes));
        }
        if (logits.dim() != 2 || logits.shape[0] != attributes.shape[0] || logits.shape[1] != logitCount)
        {
            throw new ArgumentException(
                $"AttributeGate expects logits ({attributes.shape[0]}, {logitCount}), got ({string.Join(", ", logits.shape)}).", nameof(logits));
        }

        using var scope = torch.NewDisposeScope();
        var weights = gate.call(attributes);                                             // (B, P)
        var result = logits.add(weights * logits, Scalars.One);                          // (B, P)
        return result.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            gate.Dispose();
        }
        base.Dispose(disposing);
    }
}
