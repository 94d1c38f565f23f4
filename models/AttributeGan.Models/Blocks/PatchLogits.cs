using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Patch discriminator head: conv1×1 → LeakyReLU(0.1) → conv4×4 (no padding) to one channel → flatten.
/// (B, C, r, r) → (B, (r−3)²).
/// </summary>
public sealed class PatchLogits : nn.Module<Tensor, Tensor>
{
    private const double Slope = 0.1;

    private readonly Conv conv;
    private readonly Conv to_logit;

    private readonly long channels;

    public PatchLogits(long channels, bool spectralNorm = false) : base(nameof(PatchLogits))
    {
        BlockArguments.Positive(channels, nameof(PatchLogits));

        this.channels = channels;
        conv = new Conv(channels, channels, 1, bias: true, spectralNorm: spectralNorm);
        to_logit = new Conv(channels, 1, 4, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, C, r, r)
        if (x.dim() != 4 || x.shape[1] != channels || x.shape[2] < 4 || x.shape[3] < 4)
        {
            throw new ArgumentException($"PatchLogits expects (B, {channels}, H, W) with H, W ≥ 4, got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        var y = nn.functional.leaky_relu(conv.call(MemoryLayout.ChannelsLast(x)), Slope);  // (B, C, r, r), NHWC strides
        var logits = to_logit.call(y).flatten(1);                                        // (B, (r−3)²)
        return logits.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
            to_logit.Dispose();
        }
        base.Dispose(disposing);
    }
}
