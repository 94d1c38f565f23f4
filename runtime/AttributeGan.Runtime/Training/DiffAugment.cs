using System;
using System.Collections.Generic;
using AttributeGan.Models;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// DiffAugment (Zhao et al. 2020) on the images the discriminator sees: every operation is differentiable in the images,
/// so the generator's gradient passes through the augmentation of its fakes. Each image is augmented with the spec's
/// probability, its own random parameters drawn on the CPU from its own seed (a position in the global batch and a step),
/// so a run is reproducible and N ranks augment exactly what one process does. No clamping: values may leave [−1, 1],
/// as in the reference implementation.
/// </summary>
public static class DiffAugment
{
    /// <summary>(B, C, H, W) → (B, C, H, W) in the same device and dtype; unchanged rows where the draw said no.</summary>
    /// <param name="sampleSeeds">One seed per image, B of them.</param>
    public static Tensor Apply(Tensor images, DiffAugmentSettings settings, IReadOnlyList<ulong> sampleSeeds)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected (B, C, H, W) images, got {images.dim()} dimensions.", nameof(images));
        long batch = images.shape[0], height = images.shape[2], width = images.shape[3];
        if (sampleSeeds.Count != batch) throw new ArgumentException($"Need one seed per image: {batch} images, {sampleSeeds.Count} seeds.", nameof(sampleSeeds));
        if (settings.Probability <= 0 || settings.Policy == DiffAugmentPolicy.None) return images;

        using var scope = NewDisposeScope();
        // Every number is drawn whatever the policy, so switching one augmentation off leaves the others' draws unchanged.
        var apply = new float[batch];
        var colour = new float[batch * 3];
        var shift = new float[batch * 2];
        var centre = new float[batch * 2];
        int maxX = (int)(width * 0.125 + 0.5), maxY = (int)(height * 0.125 + 0.5);
        for (int b = 0; b < batch; b++)
        {
            var random = new SeededRandom(sampleSeeds[b]);
            apply[b] = random.NextDouble() < settings.Probability ? 1f : 0f;
            for (int i = 0; i < 3; i++) colour[b * 3 + i] = (float)random.NextDouble();
            shift[b * 2] = random.NextInt(2 * maxX + 1) - maxX;
            shift[b * 2 + 1] = random.NextInt(2 * maxY + 1) - maxY;
            centre[b * 2] = random.NextInt((int)width);
            centre[b * 2 + 1] = random.NextInt((int)height);
        }

        var device = images.device;
        var dtype = images.dtype;
        var x = images;
        if (settings.Policy.HasFlag(DiffAugmentPolicy.Colour)) x = Colour(x, tensor(colour, new long[] { batch, 3 }).to(dtype, device));
        if (settings.Policy.HasFlag(DiffAugmentPolicy.Translation)) x = Translate(x, shift);
        if (settings.Policy.HasFlag(DiffAugmentPolicy.Cutout)) x = Cutout(x, centre);
        var mask = tensor(apply, new long[] { batch, 1, 1, 1 }).to(dtype, device);        // (B, 1, 1, 1)
        // 1 − mask as TorchSharp's operator computes it: −mask + 1 (alpha 1).
        return (mask * x).add(mask.neg().add(Scalars.One, Scalars.One) * images, Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>Brightness + (u − 0.5), saturation × 2u around the channel mean, contrast × (u + 0.5) around the image mean.</summary>
    private static Tensor Colour(Tensor x, Tensor u)
    {
        long batch = x.shape[0];
        Tensor Column(int k) => u[.., k].view(batch, 1, 1, 1);
        x = x.add(Column(0).sub(Scalars.Of(0.5)), Scalars.One);
        var channelMean = x.mean(new long[] { 1 }, keepdim: true);                      // (B, 1, H, W)
        x = (x - channelMean).mul(Column(1).mul(Scalars.Of(2L))).add(channelMean, Scalars.One);
        var imageMean = x.mean(new long[] { 1, 2, 3 }, keepdim: true);                  // (B, 1, 1, 1)
        return (x - imageMean).mul(Column(2).add(Scalars.Of(0.5), Scalars.One)).add(imageMean, Scalars.One);
    }

    /// <summary>Integer shifts (dx, dy) per image; vacated pixels zero. Bilinear sampling at whole-pixel offsets is exact and differentiable.</summary>
    private static Tensor Translate(Tensor x, float[] shift)
    {
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        var theta = new float[batch * 6];
        for (long b = 0; b < batch; b++)
        {
            // In normalised units a pixel is 2/side; sampling at x − shift moves the content by +shift.
            theta[b * 6 + 0] = 1;
            theta[b * 6 + 2] = -2f * shift[b * 2] / width;
            theta[b * 6 + 4] = 1;
            theta[b * 6 + 5] = -2f * shift[b * 2 + 1] / height;
        }
        var affine = tensor(theta, new long[] { batch, 2, 3 }).to(x.dtype, x.device);
        var grid = F.affine_grid(affine, x.shape, align_corners: false);                // (B, H, W, 2)
        return F.grid_sample(x, grid, GridSampleMode.Bilinear, GridSamplePaddingMode.Zeros, align_corners: false);
    }

    /// <summary>A square of half the side around a centre per image, set to zero.</summary>
    private static Tensor Cutout(Tensor x, float[] centre)
    {
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        // Held for the native calls; arange(n) is arange(0, n, 1) with integer Scalars.
        using var heightEnd = height.ToScalar();
        using var widthEnd = width.ToScalar();
        using var quarterHeight = (height / 4.0).ToScalar();
        using var quarterWidth = (width / 4.0).ToScalar();
        var c = tensor(centre, new long[] { batch, 2 }).to(x.device);
        var rows = arange(Scalars.Zero, heightEnd, Scalars.One, device: x.device).view(1, height, 1);  // (1, H, 1)
        var columns = arange(Scalars.Zero, widthEnd, Scalars.One, device: x.device).view(1, 1, width); // (1, 1, W)
        var insideRows = (rows - c[.., 1].view(batch, 1, 1)).abs().lt(quarterHeight);      // (B, H, 1)
        var insideColumns = (columns - c[.., 0].view(batch, 1, 1)).abs().lt(quarterWidth); // (B, 1, W)
        var keep = (~(insideRows & insideColumns)).to(x.dtype).unsqueeze(1);            // (B, 1, H, W)
        return x * keep;
    }
}
