using System;
using System.Linq;
using System.Numerics;
using AttributeGan.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Auxiliary decoder of the discriminator's reconstruction loss: log2(out/in) up-blocks (no blur) halving the channels
/// (never below 8), then a conv3×3 to the image channels with no activation.
/// (B, inChannels, in, in) → (B, imageChannels, out, out), dense NCHW.
/// </summary>
public sealed class ReconstructionDecoder : nn.Module<Tensor, Tensor>
{
    /// <summary>Smallest channel count of a decoder stage.</summary>
    public const long MinChannels = 8;

    private readonly ModuleList<UpBlock> ups;
    private readonly Conv to_image;

    private readonly long inChannels;
    private readonly long inResolution;

    public ReconstructionDecoder(long inChannels, long inResolution, long outResolution, long imageChannels, NormKind norm, bool spectralNorm = false)
        : base(nameof(ReconstructionDecoder))
    {
        BlockArguments.Positive(inChannels, nameof(ReconstructionDecoder));
        BlockArguments.Positive(inResolution, nameof(ReconstructionDecoder));
        BlockArguments.Positive(outResolution, nameof(ReconstructionDecoder));
        BlockArguments.Positive(imageChannels, nameof(ReconstructionDecoder));
        BlockArguments.Defined(norm, nameof(ReconstructionDecoder));
        if (!BitOperations.IsPow2(inResolution) || !BitOperations.IsPow2(outResolution))
        {
            throw new ArgumentException(
                $"ReconstructionDecoder: resolutions must be powers of two, got inResolution {inResolution} and outResolution {outResolution}.",
                BitOperations.IsPow2(inResolution) ? nameof(outResolution) : nameof(inResolution));
        }
        if (outResolution <= inResolution)
        {
            throw new ArgumentException(
                $"ReconstructionDecoder: outResolution ({outResolution}) must be larger than inResolution ({inResolution}).", nameof(outResolution));
        }

        this.inChannels = inChannels;
        this.inResolution = inResolution;
        var steps = BitOperations.Log2((ulong)outResolution) - BitOperations.Log2((ulong)inResolution);
        var plan = ChannelPlan(inChannels, steps);

        ups = nn.ModuleList(Enumerable.Range(0, steps).Select(k => new UpBlock(plan[k], plan[k + 1], blur: false, norm, spectralNorm)).ToArray());
        to_image = new Conv(plan[steps], imageChannels, 3, padding: 1, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    /// <summary>Channels c0..c_steps of the decoder stages: c0 = inChannels, c_{k+1} = max(c_k / 2, 8).</summary>
    public static long[] ChannelPlan(long inChannels, int steps)
    {
        BlockArguments.Positive(inChannels, nameof(ReconstructionDecoder));
        if (steps < 0)
        {
            throw new ArgumentException($"ReconstructionDecoder: steps must not be negative, got {steps}.", nameof(steps));
        }

        var plan = new long[steps + 1];
        plan[0] = inChannels;
        for (var k = 0; k < steps; k++)
        {
            plan[k + 1] = Math.Max(plan[k] / 2, MinChannels);
        }
        return plan;
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, c0, in, in)
        if (x.dim() != 4 || x.shape[1] != inChannels || x.shape[2] != inResolution || x.shape[3] != inResolution)
        {
            throw new ArgumentException(
                $"ReconstructionDecoder expects (B, {inChannels}, {inResolution}, {inResolution}), got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        var y = x;
        foreach (var up in ups)
        {
            y = up.call(y);                                                              // (B, c_{k+1}, 2h, 2w)
        }
        var image = to_image.call(y);                                                    // (B, ic, out, out), NHWC strides
        return image.contiguous().MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var up in ups)
            {
                up.Dispose();
            }
            ups.Dispose();
            to_image.Dispose();
        }
        base.Dispose(disposing);
    }
}
