using System;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Generator input: noise (B, latent) and attributes (B, A) are each up-sampled by a transposed convolution to
/// r×r, (optionally batch-normalised, <see cref="SynchronisedBatchNorm2d"/>), gated by GLU, concatenated on channels and L2-normalised over channels.
/// Output (B, noiseChannels + attributeChannels, r, r).
/// </summary>
/// <remarks>
/// A transposed convolution with an r×r kernel applied to a 1×1 map is a matrix product:
/// y[b, o, i, j] = Σ_c x[b, c]·W[c, o, i, j] + bias[o]. It is computed so (<see cref="FromPoint"/>), which keeps it off
/// libtorch's transposed-convolution kernel, wrong on some CPUs when the input channels are not a multiple of 16 (see
/// <see cref="MemoryLayout"/>). The layers stay <see cref="ConvTranspose2d"/> modules, so parameters, initialisation
/// and checkpoints are those of the transposed convolution.
/// </remarks>
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

        var n = FromPoint(noise_up, noise);                                              // (B, 2n, r, r)
        if (noise_norm is not null)
        {
            n = noise_norm.call(n);
        }
        n = nn.functional.glu(n, 1);                                                     // (B, n, r, r)

        var a = FromPoint(attribute_up, attributes);                                     // (B, 2a, r, r)
        if (attribute_norm is not null)
        {
            a = attribute_norm.call(a);
        }
        a = nn.functional.glu(a, 1);                                                     // (B, a, r, r)

        var joined = torch.cat(new[] { n, a }, 1);                                       // (B, n + a, r, r)
        var result = nn.functional.normalize(joined, p: 2, dim: 1);                      // (B, n + a, r, r)
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="up"/> applied to <paramref name="x"/> (B, in) seen as a 1×1 map, as the matrix product it equals:
    /// (B, in)·(in, out·r·r) → (B, out, r, r), plus the bias per output channel.
    /// </summary>
    private static Tensor FromPoint(ConvTranspose2d up, Tensor x)
    {
        var weight = up.weight!;                                                         // (in, out, r, r)
        long outChannels = weight.shape[1], kh = weight.shape[2], kw = weight.shape[3];
        var y = torch.matmul(x, weight.reshape(weight.shape[0], -1))                     // (B, out·r·r)
            .view(x.shape[0], outChannels, kh, kw);                                      // (B, out, r, r)
        return up.bias is { } bias ? y.add(bias.view(1, -1, 1, 1), Scalars.One) : y;
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
