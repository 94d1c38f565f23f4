using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Nearest ×2 up-sampling → optional blur → conv3×3 to 2·out → optional batch norm (<see cref="SynchronisedBatchNorm2d"/>) → GLU:
/// (B, in, H, W) → (B, out, 2H, 2W).
/// </summary>
public sealed class UpBlock : nn.Module<Tensor, Tensor>
{
    private readonly Blur? blur;
    private readonly Conv2d conv;
    private readonly SynchronisedBatchNorm2d? norm;

    private readonly long inChannels;

    public UpBlock(long inChannels, long outChannels, bool blur, NormKind norm) : base(nameof(UpBlock))
    {
        BlockArguments.Positive(inChannels, nameof(UpBlock));
        BlockArguments.Positive(outChannels, nameof(UpBlock));
        BlockArguments.Defined(norm, nameof(UpBlock));

        this.inChannels = inChannels;
        var batch = norm != NormKind.None;

        this.blur = blur ? new Blur(inChannels) : null;
        conv = nn.Conv2d(inChannels, 2 * outChannels, 3, padding: 1, bias: !batch);
        this.norm = BlockArguments.BatchNorm(norm, 2 * outChannels);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, in, H, W)
        if (x.dim() != 4 || x.shape[1] != inChannels)
        {
            throw new ArgumentException($"UpBlock expects (B, {inChannels}, H, W), got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        var y = nn.functional.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest); // (B, in, 2H, 2W)
        if (blur is not null)
        {
            y = blur.call(y);                                                            // (B, in, 2H, 2W)
        }
        y = conv.call(y);                                                                // (B, 2·out, 2H, 2W)
        if (norm is not null)
        {
            y = norm.call(y);
        }
        y = nn.functional.glu(y, 1);                                                     // (B, out, 2H, 2W)
        return y.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            blur?.Dispose();
            conv.Dispose();
            norm?.Dispose();
        }
        base.Dispose(disposing);
    }
}
