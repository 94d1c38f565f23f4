using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>Discriminator input: conv3×3 (with bias) → LeakyReLU(0.1): (B, ic, H, W) → (B, C, H, W).</summary>
public sealed class InputConv : nn.Module<Tensor, Tensor>
{
    private const double Slope = 0.1;

    private readonly Conv conv;

    private readonly long imageChannels;

    public InputConv(long imageChannels, long channels, bool spectralNorm = false) : base(nameof(InputConv))
    {
        BlockArguments.Positive(imageChannels, nameof(InputConv));
        BlockArguments.Positive(channels, nameof(InputConv));

        this.imageChannels = imageChannels;
        conv = new Conv(imageChannels, channels, 3, padding: 1, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, ic, H, W)
        if (x.dim() != 4 || x.shape[1] != imageChannels)
        {
            throw new ArgumentException($"InputConv expects (B, {imageChannels}, H, W), got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        // Channels-last from the image on (the convolution makes it so): the discriminator's blocks run fastest so (see MemoryLayout).
        var y = conv.call(x).leaky_relu(Scalars.Of(Slope));                              // (B, C, H, W), NHWC strides
        return y.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
        }
        base.Dispose(disposing);
    }
}
