using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// ReLU as a node of a network's graph: BigGAN's discriminator activates its last block's output once, and both the
/// pooled logit and the projection term read the activated map. No parameters. (B, C, H, W) → (B, C, H, W).
/// </summary>
public sealed class ReluActivation : nn.Module<Tensor, Tensor>
{
    public ReluActivation() : base(nameof(ReluActivation))
    {
    }

    public override Tensor forward(Tensor x) => nn.functional.relu(x);                   // (B, C, H, W)
}
