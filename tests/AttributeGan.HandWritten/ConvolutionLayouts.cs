using System;
using System.Collections.Generic;
using AttributeGan.Benchmarks;
using static TorchSharp.torch;

namespace AttributeGan.HandWritten;

/// <summary>
/// One convolution of AttributeGan64, forward + backward, in the default NCHW layout against channels-last (NHWC
/// strides, made with a permute–copy–permute because TorchSharp 0.107 has no <c>contiguous(memory_format)</c>): what
/// a layout-aware network could gain per layer before paying for the conversions around it.
/// </summary>
public sealed record ConvolutionShape(string Layer, int Batch, int InChannels, int OutChannels, int Resolution, int Kernel, int Stride);

public static class ConvolutionLayouts
{
    /// <summary>The generator's 3×3 convolutions (batch 16) and the discriminator's strided 4×4 ones (three passes: batch 48).</summary>
    public static readonly IReadOnlyList<ConvolutionShape> AttributeGan64 = new ConvolutionShape[]
    {
        new("generator.stage8 conv", 16, 160, 256, 8, 3, 1),
        new("generator.stage16 conv", 16, 128, 128, 16, 3, 1),
        new("generator.stage32 conv", 16, 64, 64, 32, 3, 1),
        new("generator.stage64 conv", 16, 32, 32, 64, 3, 1),
        new("discriminator.stage32 down conv", 48, 16, 32, 64, 4, 2),
        new("discriminator.stage16 down conv", 48, 32, 64, 32, 4, 2),
        new("discriminator.stage8 down conv", 48, 64, 128, 16, 4, 2),
    };

    /// <summary>Channels-last strides for a (N, C, H, W) tensor: (H·W·C, 1, W·C, C).</summary>
    public static Tensor ChannelsLast(Tensor x) => x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);

    /// <summary>An action running one forward + backward of the convolution in the given layout.</summary>
    public static Action ForwardBackward(ConvolutionShape shape, bool channelsLast)
    {
        var generator = new TorchSharp.torch.Generator(11);
        var x = randn(new long[] { shape.Batch, shape.InChannels, shape.Resolution, shape.Resolution }, generator: generator); // (B, Cin, R, R)
        var w = randn(new long[] { shape.OutChannels, shape.InChannels, shape.Kernel, shape.Kernel }, generator: generator) * 0.05; // (Cout, Cin, k, k)
        if (channelsLast)
        {
            x = ChannelsLast(x);
            w = ChannelsLast(w);
        }
        x = x.DetachFromDisposeScope().requires_grad_(true);
        w = w.DetachFromDisposeScope().requires_grad_(true);
        long padding = (shape.Kernel - 1) / 2;
        return () =>
        {
            using var scope = NewDisposeScope();
            var y = nn.functional.conv2d(x, w, strides: new long[] { shape.Stride, shape.Stride }, padding: new long[] { padding, padding }); // (B, Cout, R/s, R/s)
            y.sum().backward();
            x.grad!.zero_();
            w.grad!.zero_();
        };
    }
}
