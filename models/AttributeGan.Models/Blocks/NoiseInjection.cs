using System;
using System.Runtime.InteropServices;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Per-pixel noise (StyleGAN, lightweight-gan): x + s ⊙ n with n (B, 1, H, W) standard normal and s a learned strength
/// per channel, initialised to 0 (the block starts as the identity). (B, C, H, W), latent (B, L) → (B, C, H, W).
/// </summary>
/// <remarks>
/// The noise of an image is drawn from a generator seeded by its latent vector's bits (and the map's size), on the CPU:
/// an image stays a function of its latent vector and attributes, so grids and checkpoints reproduce, resumed and
/// data-parallel runs compute what one process computes, and an image does not depend on what shares its batch. The
/// noise is independent of the latent's values in every way that matters to the network: a hash of its bits seeds it.
/// </remarks>
public sealed class NoiseInjection : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly Parameter strength;
    private readonly long channels;

    public NoiseInjection(long channels) : base(nameof(NoiseInjection))
    {
        BlockArguments.Positive(channels, nameof(NoiseInjection));
        this.channels = channels;
        using (torch.NewDisposeScope())
        {
            strength = new Parameter(torch.zeros(new long[] { 1, channels, 1, 1 }, dtype: torch.get_default_dtype()));
            strength.DetachFromDisposeScope();
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor latent)
    {
        // x: (B, C, H, W), latent: (B, L)
        if (x.dim() != 4 || x.shape[1] != channels)
        {
            throw new ArgumentException($"NoiseInjection expects (B, {channels}, H, W), got ({string.Join(", ", x.shape)}).", nameof(x));
        }
        if (latent.dim() != 2 || latent.shape[0] != x.shape[0])
        {
            throw new ArgumentException($"NoiseInjection expects latent vectors ({x.shape[0]}, L), got ({string.Join(", ", latent.shape)}).", nameof(latent));
        }

        using var scope = torch.NewDisposeScope();
        var noise = Noise(latent, x.shape[2], x.shape[3]).to(x.dtype, x.device);         // (B, 1, H, W)
        return x.add(strength * noise, Scalars.One).MoveToOuterDisposeScope();          // (B, C, H, W)
    }

    /// <summary>Standard normal maps (B, 1, H, W) on the CPU, one per latent vector, each seeded by that vector's bits and the map size.</summary>
    public static Tensor Noise(Tensor latent, long height, long width)
    {
        using var scope = torch.NewDisposeScope();
        var rows = latent.detach().to(ScalarType.Float32).cpu().contiguous();            // (B, L)
        var values = rows.data<float>().ToArray();
        long batch = rows.shape[0], length = rows.shape[1];
        var maps = new Tensor[batch];
        for (long b = 0; b < batch; b++)
        {
            var bits = MemoryMarshal.Cast<float, byte>(values.AsSpan((int)(b * length), (int)length));
            using var generator = new torch.Generator(Seed(bits, height, width));
            maps[b] = torch.randn(new long[] { 1, 1, height, width }, generator: generator);   // (1, 1, H, W)
        }
        return torch.cat(maps, 0).MoveToOuterDisposeScope();                             // (B, 1, H, W)
    }

    /// <summary>64-bit FNV-1a over the latent's bytes and the map size.</summary>
    private static ulong Seed(ReadOnlySpan<byte> bits, long height, long width)
    {
        unchecked
        {
            ulong hash = 14695981039346656037UL;
            foreach (byte b in bits)
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }
            hash ^= (ulong)height * 0x9E3779B97F4A7C15UL ^ (ulong)width;
            hash *= 1099511628211UL;
            return hash;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            strength.Dispose();
        }
        base.Dispose(disposing);
    }
}
