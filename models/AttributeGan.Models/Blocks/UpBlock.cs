using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Nearest ×2 up-sampling → optional blur → conv3×3 to 2·out → optional batch norm (<see cref="SynchronisedBatchNorm2d"/>) → GLU:
/// (B, in, H, W) in either memory layout → (B, out, 2H, 2W), contiguous NCHW.
/// </summary>
/// <remarks>
/// Nearest ×2 followed by <see cref="Blur"/> (reflect pad 1, [1,2,1]⊗[1,2,1]/16) is exactly bilinear ×2 with
/// align_corners false, so the blurred path runs as that one operation: per axis the blurred values are
/// (x[i−1] + 3·x[i])/4 and (3·x[i] + x[i+1])/4, and at the borders the reflected up-sampled map repeats the edge pixel,
/// as bilinear's clamp does. It skips the 4×-size nearest copy, the padded copy and the depthwise convolution, so it is
/// faster with the same values within float rounding (measurements: docs/results/bench.md).
/// </remarks>
public sealed class UpBlock : nn.Module<Tensor, Tensor>
{
    private readonly bool blur;
    private readonly Conv conv;
    private readonly SynchronisedBatchNorm2d? norm;

    private readonly long inChannels;

    public UpBlock(long inChannels, long outChannels, bool blur, NormKind norm, bool spectralNorm = false) : base(nameof(UpBlock))
    {
        BlockArguments.Positive(inChannels, nameof(UpBlock));
        BlockArguments.Positive(outChannels, nameof(UpBlock));
        BlockArguments.Defined(norm, nameof(UpBlock));

        this.inChannels = inChannels;
        var batch = norm != NormKind.None;

        this.blur = blur;
        conv = new Conv(inChannels, 2 * outChannels, 3, padding: 1, bias: !batch, spectralNorm: spectralNorm);
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
        // Channels-last up to the batch norm (the convolution needs it for right gradients), dense NCHW into GLU (see MemoryLayout).
        var input = MemoryLayout.ForConvolution(x);                                      // (B, in, H, W), NHWC strides
        var y = blur                                                                     // (B, in, 2H, 2W)
            ? nn.functional.interpolate(input, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Bilinear, align_corners: false)
            : nn.functional.interpolate(input, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
        y = conv.call(y);                                                                // (B, 2·out, 2H, 2W), NHWC strides
        if (norm is not null)
        {
            y = norm.call(y);
        }
        y = nn.functional.glu(y.contiguous(), 1);                                        // (B, out, 2H, 2W), NCHW
        return y.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
            norm?.Dispose();
        }
        base.Dispose(disposing);
    }
}
