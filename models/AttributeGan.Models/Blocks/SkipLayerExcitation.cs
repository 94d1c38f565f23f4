using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Skip-layer excitation with a global-context gate: a softmax-over-positions weighted sum of the low-resolution map
/// (B, Clo, 1, 1) → 1×1 conv → LeakyReLU(0.1) → 1×1 conv → sigmoid gives a per-channel gate (B, Chi, 1, 1) that
/// multiplies the high-resolution map.
/// </summary>
public sealed class SkipLayerExcitation : nn.Module<Tensor, Tensor, Tensor>
{
    private const double Slope = 0.1;

    private readonly Conv to_context;
    private readonly Conv excite_in;
    private readonly Conv excite_out;

    private readonly long lowChannels;
    private readonly long highChannels;

    public SkipLayerExcitation(long lowChannels, long highChannels, bool spectralNorm = false) : base(nameof(SkipLayerExcitation))
    {
        BlockArguments.Positive(lowChannels, nameof(SkipLayerExcitation));
        BlockArguments.Positive(highChannels, nameof(SkipLayerExcitation));

        this.lowChannels = lowChannels;
        this.highChannels = highChannels;
        var hidden = HiddenChannels(highChannels);

        to_context = new Conv(lowChannels, 1, 1, bias: true, spectralNorm: spectralNorm);
        // The context bias shifts every position's logit equally, and the softmax over positions ignores a shift: its
        // gradient is zero analytically and only rounding noise numerically, which Adam would normalise into steps of
        // noise. It is kept (the layout and parameter count of the reference model) but not trained.
        to_context.Bias!.requires_grad = false;
        excite_in = new Conv(lowChannels, hidden, 1, bias: true, spectralNorm: spectralNorm);
        excite_out = new Conv(hidden, highChannels, 1, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    /// <summary>Width of the excitation bottleneck for a given high-resolution channel count.</summary>
    public static long HiddenChannels(long highChannels) => Math.Max(3, highChannels / 2);

    public override Tensor forward(Tensor low, Tensor high)
    {
        // low: (B, Clo, h, w), high: (B, Chi, H, W)
        if (low.dim() != 4 || low.shape[1] != lowChannels)
        {
            throw new ArgumentException($"SkipLayerExcitation expects low (B, {lowChannels}, h, w), got ({string.Join(", ", low.shape)}).", nameof(low));
        }
        if (high.dim() != 4 || high.shape[1] != highChannels || high.shape[0] != low.shape[0])
        {
            throw new ArgumentException(
                $"SkipLayerExcitation expects high ({low.shape[0]}, {highChannels}, H, W), got ({string.Join(", ", high.shape)}).", nameof(high));
        }

        using var scope = torch.NewDisposeScope();
        var b = low.shape[0];

        var weights = to_context.call(low).reshape(b, 1, -1).softmax(2);                 // (B, 1, N), softmax over positions
        var flat = low.reshape(b, lowChannels, -1);                                      // (B, Clo, N); low may be channels-last
        var context = torch.matmul(flat, weights.transpose(1, 2))                        // (B, Clo, 1)
            .view(b, lowChannels, 1, 1);                                                 // (B, Clo, 1, 1)

        var excited = excite_in.call(context).leaky_relu(Scalars.Of(Slope));             // (B, hid, 1, 1)
        var gate = torch.sigmoid(excite_out.call(excited));                              // (B, Chi, 1, 1)
        var result = high * gate;                                                        // (B, Chi, H, W)
        return result.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            to_context.Dispose();
            excite_in.Dispose();
            excite_out.Dispose();
        }
        base.Dispose(disposing);
    }
}
