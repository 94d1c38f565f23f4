using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// The discriminator's auxiliary attribute classifier (AC-GAN, Odena et al. 2017): the feature map averaged over
/// positions, then one linear map to a logit per level of every attribute, the attributes side by side in the
/// one-hot layout. (B, C, H, W) → (B, A). The classification loss applies a softmax within each attribute's slice.
/// </summary>
public sealed class AttributeClassifierHead : nn.Module<Tensor, Tensor>
{
    private readonly Dense classify;
    private readonly long channels;

    public AttributeClassifierHead(long channels, long attributeWidth, bool spectralNorm = false) : base(nameof(AttributeClassifierHead))
    {
        BlockArguments.Positive(channels, nameof(AttributeClassifierHead));
        BlockArguments.Positive(attributeWidth, nameof(AttributeClassifierHead));
        this.channels = channels;
        classify = new Dense(channels, attributeWidth, bias: true, spectralNorm: spectralNorm);
        RegisterComponents();
    }

    public override Tensor forward(Tensor features)
    {
        // features: (B, C, H, W)
        if (features.dim() != 4 || features.shape[1] != channels)
            throw new ArgumentException($"AttributeClassifierHead expects (B, {channels}, H, W), got ({string.Join(", ", features.shape)}).", nameof(features));

        using var scope = torch.NewDisposeScope();
        var pooled = features.mean(new long[] { 2, 3 });                                 // (B, C)
        return classify.call(pooled).MoveToOuterDisposeScope();                          // (B, A)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) classify.Dispose();
        base.Dispose(disposing);
    }
}
