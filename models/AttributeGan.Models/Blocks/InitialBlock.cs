using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Generator input: noise (B, latent) and attributes (B, A) are each up-sampled by a transposed convolution to
/// r×r, (optionally batch-normalised, <see cref="SynchronisedBatchNorm2d"/>), gated by GLU, concatenated on channels and L2-normalised over channels.
/// Output (B, noiseChannels + attributeChannels, r, r).
/// </summary>
public sealed class InitialBlock : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly ConvTranspose2d noise_up;
    private readonly SynchronisedBatchNorm2d? noise_norm;
    private readonly ConvTranspose2d attribute_up;
    private readonly SynchronisedBatchNorm2d? attribute_norm;

    private readonly long latent;
    private readonly long attributeWidth;

    public InitialBlock(long latent, long attributeWidth, long noiseChannels, long attributeChannels, long resolution, NormKind norm)
        : base(nameof(InitialBlock))
    {
        BlockArguments.Positive(latent, nameof(InitialBlock));
        BlockArguments.Positive(attributeWidth, nameof(InitialBlock));
        BlockArguments.Positive(noiseChannels, nameof(InitialBlock));
        BlockArguments.Positive(attributeChannels, nameof(InitialBlock));
        BlockArguments.Positive(resolution, nameof(InitialBlock));
        BlockArguments.Defined(norm, nameof(InitialBlock));

        this.latent = latent;
        this.attributeWidth = attributeWidth;
        var batch = norm != NormKind.None;

        noise_up = nn.ConvTranspose2d(latent, 2 * noiseChannels, resolution, bias: !batch);
        noise_norm = BlockArguments.BatchNorm(norm, 2 * noiseChannels);
        attribute_up = nn.ConvTranspose2d(attributeWidth, 2 * attributeChannels, resolution, bias: !batch);
        attribute_norm = BlockArguments.BatchNorm(norm, 2 * attributeChannels);

        RegisterComponents();
    }

    public override Tensor forward(Tensor noise, Tensor attributes)
    {
        // noise: (B, latent), attributes: (B, A)
        if (noise.dim() != 2 || noise.shape[1] != latent)
        {
            throw new ArgumentException($"InitialBlock expects noise (B, {latent}), got ({string.Join(", ", noise.shape)}).", nameof(noise));
        }
        if (attributes.dim() != 2 || attributes.shape[1] != attributeWidth || attributes.shape[0] != noise.shape[0])
        {
            throw new ArgumentException(
                $"InitialBlock expects attributes ({noise.shape[0]}, {attributeWidth}), got ({string.Join(", ", attributes.shape)}).",
                nameof(attributes));
        }

        using var scope = torch.NewDisposeScope();
        var batchSize = noise.shape[0];

        var n = noise_up.call(noise.view(batchSize, latent, 1, 1));                     // (B, 2n, r, r)
        if (noise_norm is not null)
        {
            n = noise_norm.call(n);
        }
        n = nn.functional.glu(n, 1);                                                     // (B, n, r, r)

        var a = attribute_up.call(attributes.view(batchSize, attributeWidth, 1, 1));     // (B, 2a, r, r)
        if (attribute_norm is not null)
        {
            a = attribute_norm.call(a);
        }
        a = nn.functional.glu(a, 1);                                                     // (B, a, r, r)

        var joined = torch.cat(new[] { n, a }, 1);                                       // (B, n + a, r, r)
        var result = nn.functional.normalize(joined, p: 2, dim: 1);                      // (B, n + a, r, r)
        return result.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            noise_up.Dispose();
            noise_norm?.Dispose();
            attribute_up.Dispose();
            attribute_norm?.Dispose();
        }
        base.Dispose(disposing);
    }
}
