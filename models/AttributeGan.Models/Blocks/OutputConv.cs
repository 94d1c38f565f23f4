using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Generator output: conv3×3 (with bias) to the image channels, then tanh if asked: (B, C, H, W) in either memory layout →
/// (B, ic, H, W), dense NCHW. With <c>preNorm</c> a batch norm and a ReLU come first (BigGAN's output layer, after
/// pre-activation blocks whose outputs are not normalised).
/// </summary>
public sealed class OutputConv : nn.Module<Tensor, Tensor>
{
    private readonly Conv conv;
    private readonly SynchronisedBatchNorm2d? norm;

    private readonly long channels;
    private readonly bool tanh;

    public OutputConv(long channels, long imageChannels, bool tanh, bool spectralNorm = false, NormKind preNorm = NormKind.None) : base(nameof(OutputConv))
    {
        BlockArguments.Positive(channels, nameof(OutputConv));
        BlockArguments.Positive(imageChannels, nameof(OutputConv));
        BlockArguments.Defined(preNorm, nameof(OutputConv));

        this.channels = channels;
        this.tanh = tanh;
        norm = BlockArguments.BatchNorm(preNorm, channels);
        conv = new Conv(channels, imageChannels, 3, padding: 1, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, C, H, W)
        if (x.dim() != 4 || x.shape[1] != channels)
        {
            throw new ArgumentException($"OutputConv expects (B, {channels}, H, W), got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        var input = norm is null ? x : nn.functional.relu(norm.call(x));                 // (B, C, H, W)
        var image = conv.call(input);                                                    // (B, ic, H, W), NHWC strides
        if (tanh)
        {
            image = torch.tanh(image);
        }
        return image.contiguous().MoveToOuterDisposeScope();                             // (B, ic, H, W), NCHW
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
