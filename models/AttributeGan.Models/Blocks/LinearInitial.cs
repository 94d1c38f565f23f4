using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// BigGAN's first generator layer: a linear map of the noise to a channels × r × r map, nothing else (the attributes
/// enter through the conditional norms of the blocks after it). Noise (B, L) → (B, C, r, r), dense NCHW.
/// </summary>
public sealed class LinearInitial : nn.Module<Tensor, Tensor>
{
    private readonly Dense linear;

    private readonly long latent;
    private readonly long channels;
    private readonly long resolution;

    public LinearInitial(long latent, long channels, long resolution, bool spectralNorm = false) : base(nameof(LinearInitial))
    {
        BlockArguments.Positive(latent, nameof(LinearInitial));
        BlockArguments.Positive(channels, nameof(LinearInitial));
        BlockArguments.Positive(resolution, nameof(LinearInitial));

        this.latent = latent;
        this.channels = channels;
        this.resolution = resolution;
        linear = new Dense(latent, channels * resolution * resolution, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor noise)
    {
        // noise: (B, L)
        if (noise.dim() != 2 || noise.shape[1] != latent)
        {
            throw new ArgumentException($"LinearInitial expects noise (B, {latent}), got ({string.Join(", ", noise.shape)}).", nameof(noise));
        }

        using var scope = torch.NewDisposeScope();
        return linear.call(noise).view(-1, channels, resolution, resolution).MoveToOuterDisposeScope();   // (B, C, r, r)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            linear.Dispose();
        }
        base.Dispose(disposing);
    }
}
