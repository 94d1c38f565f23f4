using System;
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

    private readonly Conv2d conv;
    private readonly Conv2d to_logit;

    private readonly long channels;

    public PatchLogits(long channels) : base(nameof(PatchLogits))
    {
        BlockArguments.Positive(channels, nameof(PatchLogits));

        this.channels = channels;
        conv = nn.Conv2d(channels, channels, 1, bias: true);
        to_logit = nn.Conv2d(channels, 1, 4, bias: true);

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
        var y = nn.functional.leaky_relu(Pointwise.Apply(conv, MemoryLayout.ForConvolution(x)), Slope); // (B, C, r, r), NHWC strides
        var logits = to_logit.call(MemoryLayout.ForConvolution(y)).flatten(1);           // (B, (r−3)²)
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
