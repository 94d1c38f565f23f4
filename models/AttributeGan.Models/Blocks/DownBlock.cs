using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Discriminator down-sampling block: the (optionally blurred) input feeds two branches that are summed —
/// conv4×4 stride 2 → LeakyReLU(0.1) → conv3×3 → LeakyReLU(0.1), and avg-pool 2 → conv1×1 → LeakyReLU(0.1).
/// (B, in, H, W) in either memory layout → (B, out, H/2, W/2) channels-last; H and W must be even.
/// </summary>
public sealed class DownBlock : nn.Module<Tensor, Tensor>
{
    private const double Slope = 0.1;

    private readonly Blur? blur;
    private readonly Conv down_conv;
    private readonly Conv refine_conv;
    private readonly Conv skip_conv;

    private readonly long inChannels;

    public DownBlock(long inChannels, long outChannels, bool blur, bool spectralNorm = false) : base(nameof(DownBlock))
    {
        BlockArguments.Positive(inChannels, nameof(DownBlock));
        BlockArguments.Positive(outChannels, nameof(DownBlock));

        this.inChannels = inChannels;
        this.blur = blur ? new Blur(inChannels) : null;
        down_conv = new Conv(inChannels, outChannels, 4, stride: 2, padding: 1, bias: true, spectralNorm: spectralNorm);
        refine_conv = new Conv(outChannels, outChannels, 3, padding: 1, bias: true, spectralNorm: spectralNorm);
        skip_conv = new Conv(inChannels, outChannels, 1, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, in, H, W)
        if (x.dim() != 4 || x.shape[1] != inChannels || x.shape[2] % 2 != 0 || x.shape[3] % 2 != 0)
        {
            throw new ArgumentException(
                $"DownBlock expects (B, {inChannels}, H, W) with even H and W, got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        // Channels-last throughout: blur and pooling are faster so, and the convolutions want it anyway (see MemoryLayout).
        var input = MemoryLayout.ForConvolution(x);                                      // (B, in, H, W), NHWC strides
        var source = blur is null ? input : blur.call(input);                            // (B, in, H, W), NHWC strides

        var main = down_conv.call(source).leaky_relu(Scalars.Of(Slope));                 // (B, out, H/2, W/2)
        main = refine_conv.call(main).leaky_relu(Scalars.Of(Slope));                     // (B, out, H/2, W/2)

        var pooled = nn.functional.avg_pool2d(source, 2);                                // (B, in, H/2, W/2), NHWC strides
        var skip = skip_conv.call(pooled).leaky_relu(Scalars.Of(Slope));                 // (B, out, H/2, W/2), NHWC strides

        var result = main.add(skip, Scalars.One);                                        // (B, out, H/2, W/2)
        return result.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            blur?.Dispose();
            down_conv.Dispose();
            refine_conv.Dispose();
            skip_conv.Dispose();
        }
        base.Dispose(disposing);
    }
}
