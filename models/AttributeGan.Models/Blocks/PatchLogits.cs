using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Patch discriminator head: conv1×1 → LeakyReLU(0.1) → conv4×4 (no padding) to one channel → flatten.
/// (B, C, r, r) → (B, (r−3)²).
/// With a minibatch standard-deviation group (Karras et al. 2018, ProGAN/StyleGAN), the 1×1 convolution also reads one
/// more channel: for each group of consecutive images, the standard deviation of every feature over the group, averaged
/// to one number and broadcast over the group's maps. A generator that draws the same image for every noise gives a
/// group spread of zero, which the discriminator learns to reject: the loss itself then asks for variety.
/// </summary>
public sealed class PatchLogits : nn.Module<Tensor, Tensor>
{
    private const double Slope = 0.1;

    private readonly Conv conv;
    private readonly Conv to_logit;

    private readonly long channels;
    private readonly int minibatchStdGroup;

    /// <param name="minibatchStdGroup">Images per group of the standard-deviation channel; 0 for none.</param>
    public PatchLogits(long channels, bool spectralNorm = false, int minibatchStdGroup = 0) : base(nameof(PatchLogits))
    {
        BlockArguments.Positive(channels, nameof(PatchLogits));
        if (minibatchStdGroup < 0 || minibatchStdGroup == 1)
            throw new ArgumentException($"PatchLogits: minibatchStdGroup must be 0 (none) or at least 2, got {minibatchStdGroup}.", nameof(minibatchStdGroup));

        this.channels = channels;
        this.minibatchStdGroup = minibatchStdGroup;
        conv = new Conv(channels + (minibatchStdGroup > 0 ? 1 : 0), channels, 1, bias: true, spectralNorm: spectralNorm);
        to_logit = new Conv(channels, 1, 4, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, C, r, r)
        if (x.dim() != 4 || x.shape[1] != channels || x.shape[2] < 4 || x.shape[3] < 4)
        {
            throw new ArgumentException($"PatchLogits expects (B, {channels}, H, W) with H, W ≥ 4, got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        if (minibatchStdGroup > 0) x = torch.cat(new[] { x, MinibatchStd(x, minibatchStdGroup) }, 1); // (B, C + 1, r, r)
        var y = conv.call(MemoryLayout.ChannelsLast(x)).leaky_relu(Scalars.Of(Slope));    // (B, C, r, r), NHWC strides
        var logits = to_logit.call(y).flatten(1);                                        // (B, (r−3)²)
        return logits.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The standard-deviation channel, (B, C, H, W) → (B, 1, H, W). Groups are consecutive images; their size is the
    /// greatest common divisor of <paramref name="group"/> and the batch, so any batch splits into whole groups (the
    /// numerics check's batch of 1 or 2, a batch set on the command line, a rank's share of a data-parallel batch).
    /// </summary>
    public static Tensor MinibatchStd(Tensor x, int group)
    {
        long batch = x.shape[0], channels = x.shape[1], height = x.shape[2], width = x.shape[3];
        long size = GreatestCommonDivisor(group, batch);
        using var scope = torch.NewDisposeScope();
        var grouped = x.reshape(batch / size, size, channels, height, width);             // (B/g, g, C, H, W)
        var spread = grouped.var(1, unbiased: false).add(Scalars.Of(1e-8), Scalars.One).sqrt(); // (B/g, C, H, W)
        var perGroup = spread.mean(new long[] { 1, 2, 3 });                               // (B/g)
        return perGroup.view(batch / size, 1, 1, 1, 1).expand(batch / size, size, 1, height, width)
            .reshape(batch, 1, height, width).MoveToOuterDisposeScope();                  // (B, 1, H, W)
    }

    private static long GreatestCommonDivisor(long a, long b)
    {
        while (b != 0) (a, b) = (b, a % b);
        return a;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
            to_logit.Dispose();
        }
        base.Dispose(disposing);
    }
}
