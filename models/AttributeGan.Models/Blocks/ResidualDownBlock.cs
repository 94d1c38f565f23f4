using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// BigGAN's discriminator block (pre-activation): ReLU → conv3×3 → ReLU → conv3×3 → average-pool 2, plus a shortcut
/// conv1×1 → average-pool 2 of the input. (B, in, H, W) in either memory layout → (B, out, H/2, W/2) channels-last;
/// H and W must be even.
/// </summary>
public sealed class ResidualDownBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv conv1;
    private readonly Conv conv2;
    private readonly Conv shortcut;

    private readonly long inChannels;

    public ResidualDownBlock(long inChannels, long outChannels, bool spectralNorm = false) : base(nameof(ResidualDownBlock))
    {
        BlockArguments.Positive(inChannels, nameof(ResidualDownBlock));
        BlockArguments.Positive(outChannels, nameof(ResidualDownBlock));

        this.inChannels = inChannels;
        conv1 = new Conv(inChannels, outChannels, 3, padding: 1, bias: true, spectralNorm: spectralNorm);
        conv2 = new Conv(outChannels, outChannels, 3, padding: 1, bias: true, spectralNorm: spectralNorm);
        shortcut = new Conv(inChannels, outChannels, 1, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, in, H, W)
        if (x.dim() != 4 || x.shape[1] != inChannels || x.shape[2] % 2 != 0 || x.shape[3] % 2 != 0)
        {
            throw new ArgumentException(
                $"ResidualDownBlock expects (B, {inChannels}, H, W) with even H and W, got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        // Channels-last throughout, as DownBlock: pooling and the convolutions are fastest so (see MemoryLayout).
        var input = MemoryLayout.ForConvolution(x);                                      // (B, in, H, W), NHWC strides
        var h = conv1.call(nn.functional.relu(input));                                   // (B, out, H, W)
        h = conv2.call(nn.functional.relu(h));                                           // (B, out, H, W)
        h = nn.functional.avg_pool2d(h, 2);                                              // (B, out, H/2, W/2)
        var skip = nn.functional.avg_pool2d(shortcut.call(input), 2);                    // (B, out, H/2, W/2)
        return h.add(skip, Scalars.One).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            conv2.Dispose();
            shortcut.Dispose();
        }
        base.Dispose(disposing);
    }
}
