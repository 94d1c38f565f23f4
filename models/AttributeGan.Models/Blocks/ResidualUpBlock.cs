using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// BigGAN's generator block (Brock et al. 2019): conditional batch norm → ReLU → nearest ×2 → conv3×3 → conditional
/// batch norm → ReLU → conv3×3, plus a shortcut conv1×1 of the up-sampled input. The conditional norms take the
/// attribute vector (<see cref="ConditionalBatchNorm"/>). (B, in, H, W), attributes (B, A) → (B, out, 2H, 2W).
/// </summary>
/// <remarks>
/// conv1 has no bias when a batch norm follows it. The shortcut convolves before up-sampling: a 1×1 convolution commutes with nearest up-sampling, so the values are
/// BigGAN's at a quarter of the shortcut's multiply-accumulates.
/// </remarks>
public sealed class ResidualUpBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ConditionalBatchNorm norm1;
    private readonly Conv conv1;
    private readonly ConditionalBatchNorm norm2;
    private readonly Conv conv2;
    private readonly Conv shortcut;

    private readonly long inChannels;

    public ResidualUpBlock(long inChannels, long outChannels, long attributeWidth, NormKind norm, bool spectralNorm = false) : base(nameof(ResidualUpBlock))
    {
        BlockArguments.Positive(inChannels, nameof(ResidualUpBlock));
        BlockArguments.Positive(outChannels, nameof(ResidualUpBlock));
        BlockArguments.Positive(attributeWidth, nameof(ResidualUpBlock));
        BlockArguments.Defined(norm, nameof(ResidualUpBlock));

        this.inChannels = inChannels;
        norm1 = new ConditionalBatchNorm(inChannels, attributeWidth, norm, spectralNorm);
        // A batch norm follows conv1 and removes any per-channel constant, so a bias there would be a parameter without
        // effect (its gradient is zero); BigGAN keeps one, this block does not.
        conv1 = new Conv(inChannels, outChannels, 3, padding: 1, bias: norm == NormKind.None, spectralNorm: spectralNorm);
        norm2 = new ConditionalBatchNorm(outChannels, attributeWidth, norm, spectralNorm);
        conv2 = new Conv(outChannels, outChannels, 3, padding: 1, bias: true, spectralNorm: spectralNorm);
        shortcut = new Conv(inChannels, outChannels, 1, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor attributes)
    {
        // x: (B, in, H, W), attributes: (B, A)
        if (x.dim() != 4 || x.shape[1] != inChannels)
        {
            throw new ArgumentException($"ResidualUpBlock expects (B, {inChannels}, H, W), got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        var h = nn.functional.relu(norm1.call(x, attributes));                           // (B, in, H, W)
        h = Up(h);                                                                       // (B, in, 2H, 2W)
        h = conv1.call(h);                                                               // (B, out, 2H, 2W), NHWC strides
        h = nn.functional.relu(norm2.call(h, attributes));                               // (B, out, 2H, 2W)
        h = conv2.call(h);                                                               // (B, out, 2H, 2W), NHWC strides
        var skip = Up(shortcut.call(x));                                                 // (B, out, 2H, 2W)
        return h.add(skip, Scalars.One).contiguous().MoveToOuterDisposeScope();         // (B, out, 2H, 2W), NCHW
    }

    private static Tensor Up(Tensor x) => nn.functional.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            norm1.Dispose();
            conv1.Dispose();
            norm2.Dispose();
            conv2.Dispose();
            shortcut.Dispose();
        }
        base.Dispose(disposing);
    }
}
