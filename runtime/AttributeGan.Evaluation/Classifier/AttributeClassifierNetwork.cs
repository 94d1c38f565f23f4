using System.Linq;
using AttributeGan.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// The classifier's network: a backbone (RGB images in [0, 1] → features, its input pipeline included) and one linear head per attribute with one
/// output per level. The heads' logits are concatenated in layout order, so the output lines up with the one-hot
/// attribute vector (attribute a's logits are columns Offset(a) .. Offset(a) + levels − 1).
/// </summary>
internal sealed class AttributeClassifierNetwork : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> backbone;
    private readonly ModuleList<Linear> heads;

    public AttributeClassifierNetwork(nn.Module<Tensor, Tensor> backbone, int featureSize, AttributeLayout layout) : base("AttributeClassifier")
    {
        this.backbone = backbone;
        heads = new ModuleList<Linear>(layout.Attributes.Select(a => nn.Linear(featureSize, a.Levels.Count)).ToArray());
        RegisterComponents();
    }

    /// <summary>The floating-point type of the weights (float32, or float64 for a judge that reproduces across CPUs); inputs are cast to it.</summary>
    public ScalarType Precision => heads[0].weight!.dtype;

    /// <summary>(B, 3, H, W) RGB in [0, 1] of any float type → (B, Σ levels) logits in <see cref="Precision"/>, attribute after attribute.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var features = backbone.call(input.to(Precision));                     // (B, F)
        var logits = heads.Select(head => head.call(features)).ToArray();     // per attribute (B, k_a)
        return cat(logits, 1).MoveToOuterDisposeScope();                       // (B, Σ k_a)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            backbone.Dispose();
            heads.Dispose();
        }
        base.Dispose(disposing);
    }
}
