using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// BigGAN's discriminator output: the features (activated by a <see cref="ReluActivation"/> before it) summed over
/// positions, then a linear map to one logit per image. Features (B, C, h, w) → logits (B, 1). The projection term (<see cref="AttributeProjection"/> with sum pooling)
/// is added to it by the network.
/// </summary>
public sealed class PooledLogits : nn.Module<Tensor, Tensor>
{
    private readonly Dense linear;

    private readonly long channels;

    public PooledLogits(long channels, bool spectralNorm = false) : base(nameof(PooledLogits))
    {
        BlockArguments.Positive(channels, nameof(PooledLogits));

        this.channels = channels;
        linear = new Dense(channels, 1, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor features)
    {
        // features: (B, C, h, w)
        if (features.dim() != 4 || features.shape[1] != channels)
        {
            throw new ArgumentException($"PooledLogits expects (B, {channels}, h, w), got ({string.Join(", ", features.shape)}).", nameof(features));
        }

        using var scope = torch.NewDisposeScope();
        var pooled = features.sum(new long[] { 2, 3 });                                  // (B, C)
        return linear.call(pooled).MoveToOuterDisposeScope();                           // (B, 1)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            linear.Dispose();
        }
        base.Dispose(disposing);
    }
}
