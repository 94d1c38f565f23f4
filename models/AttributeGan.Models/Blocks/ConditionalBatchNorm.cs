using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Class-conditional batch norm (de Vries et al. 2017, BigGAN): the batch-normalised map times a per-channel gain
/// 1 + G·y, plus a per-channel bias B·y, both linear in the attribute vector y (no bias terms; spectrally normalised on
/// request). With the concatenated one-hot attributes y the gain and bias are sums of one learned vector per attribute
/// level, so every combination gets its own. (B, C, H, W), attributes (B, A) → (B, C, H, W).
/// </summary>
/// <remarks>
/// The batch norm keeps its own affine pair (initialised to the identity) so it is the <see cref="SynchronisedBatchNorm2d"/>
/// every other block uses, synchronised in data-parallel training: 2·C parameters more than BigGAN's, the same function
/// at initialisation. <see cref="NormKind.None"/> leaves out the normalisation and keeps the conditional gain and bias.
/// </remarks>
public sealed class ConditionalBatchNorm : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly SynchronisedBatchNorm2d? norm;
    private readonly Dense to_gain;
    private readonly Dense to_bias;

    private readonly long channels;
    private readonly long attributeWidth;

    public ConditionalBatchNorm(long channels, long attributeWidth, NormKind norm, bool spectralNorm = false) : base(nameof(ConditionalBatchNorm))
    {
        BlockArguments.Positive(channels, nameof(ConditionalBatchNorm));
        BlockArguments.Positive(attributeWidth, nameof(ConditionalBatchNorm));
        BlockArguments.Defined(norm, nameof(ConditionalBatchNorm));

        this.channels = channels;
        this.attributeWidth = attributeWidth;
        this.norm = BlockArguments.BatchNorm(norm, channels);
        to_gain = new Dense(attributeWidth, channels, bias: false, spectralNorm: spectralNorm);
        to_bias = new Dense(attributeWidth, channels, bias: false, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor attributes)
    {
        // x: (B, C, H, W), attributes: (B, A)
        if (x.dim() != 4 || x.shape[1] != channels)
        {
            throw new ArgumentException($"ConditionalBatchNorm expects (B, {channels}, H, W), got ({string.Join(", ", x.shape)}).", nameof(x));
        }
        if (attributes.dim() != 2 || attributes.shape[0] != x.shape[0] || attributes.shape[1] != attributeWidth)
        {
            throw new ArgumentException($"ConditionalBatchNorm expects attributes ({x.shape[0]}, {attributeWidth}), got ({string.Join(", ", attributes.shape)}).", nameof(attributes));
        }

        using var scope = torch.NewDisposeScope();
        var normalised = norm is null ? x : norm.call(x);                                // (B, C, H, W)
        var gain = to_gain.call(attributes).add(Scalars.One, Scalars.One).view(-1, channels, 1, 1); // (B, C, 1, 1): 1 + G·y
        var bias = to_bias.call(attributes).view(-1, channels, 1, 1);                    // (B, C, 1, 1)
        return (normalised * gain).add(bias, Scalars.One).MoveToOuterDisposeScope();     // (B, C, H, W)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            norm?.Dispose();
            to_gain.Dispose();
            to_bias.Dispose();
        }
        base.Dispose(disposing);
    }
}
