using System;
using System.Collections.Generic;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Runtime.Data;

/// <summary>
/// Which augmentations a batch gets. The default is the authors' code: a random resized crop on 25 % of batches
/// (area scale 0.5–1.0, aspect ratio 0.98–1.02, resized back to the full side). DiffAugment's colour (brightness,
/// saturation, contrast) and translation (1/8 of the side, zero padded) are FastGAN's options, off by default.
/// </summary>
public sealed record AugmentationOptions(
    double CropProbability = 0.25,
    double CropScaleMin = 0.5,
    double CropScaleMax = 1.0,
    bool Colour = false,
    bool Translation = false,
    double TranslationFraction = 0.125)
{
    public static AugmentationOptions None { get; } = new(CropProbability: 0);

    /// <summary>The authors' code: random resized crop on a quarter of batches, nothing else.</summary>
    public static AugmentationOptions Authors { get; } = new();

    /// <summary>FastGAN's DiffAugment policy "color,translation" on every batch, plus the authors' crop.</summary>
    public static AugmentationOptions DiffAugment { get; } = new(Colour: true, Translation: true);
}

/// <summary>
/// Batch augmentation on tensors of any device. Random numbers come from <see cref="SeededRandom"/>s the caller seeds:
/// one per batch (whether the batch is cropped: the authors crop whole batches) and one per sample (its crop window,
/// colour and shift). The loader seeds a sample by its position in the global batch, so an image is augmented the
/// same way whether its batch is split over one rank or eight. Numbers are drawn on the CPU in a fixed order and
/// tensors only built from them, so the result is the same on every device and needs no global generator state.
/// </summary>
public static class Augmentation
{
    /// <summary>Augments (B, C, H, W) images in [−1, 1] with batch and sample seeds drawn from <paramref name="random"/>.</summary>
    public static Tensor Apply(Tensor images, AugmentationOptions options, SeededRandom random)
    {
        ulong batchSeed = random.NextUInt64();
        var sampleSeeds = new ulong[images.dim() == 4 ? images.shape[0] : 0];
        for (int b = 0; b < sampleSeeds.Length; b++) sampleSeeds[b] = random.NextUInt64();
        return Apply(images, options, batchSeed, sampleSeeds);
    }

    /// <summary>Augments (B, C, H, W) images in [−1, 1]; returns a new (B, C, H, W) tensor in [−1, 1].</summary>
    /// <param name="batchSeed">Seeds the batch-level decision (crop or not).</param>
    /// <param name="sampleSeeds">One seed per image (B of them) for its own random parameters.</param>
    public static Tensor Apply(Tensor images, AugmentationOptions options, ulong batchSeed, IReadOnlyList<ulong> sampleSeeds)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected (B, C, H, W) images, got {images.dim()} dimensions.", nameof(images));
        long batch = images.shape[0];
        if (sampleSeeds.Count != batch) throw new ArgumentException($"Need one seed per image: {batch} images, {sampleSeeds.Count} seeds.", nameof(sampleSeeds));
        using var scope = NewDisposeScope();
        var result = images.alias();
        bool crop = new SeededRandom(batchSeed).NextDouble() < options.CropProbability;
        // Every random number is drawn whether or not its augmentation is on, so switching one option never
        // changes what the others do with the same seed.
        var cropTheta = new float[batch * 6];
        var colour = new float[batch * 3];
        var shifts = new float[batch * 2];
        for (int b = 0; b < batch; b++)
        {
            var random = new SeededRandom(sampleSeeds[b]);
            CropParameters(random, options, cropTheta.AsSpan(b * 6, 6));
            for (int i = 0; i < 3; i++) colour[b * 3 + i] = (float)random.NextDouble();
            for (int i = 0; i < 2; i++) shifts[b * 2 + i] = (float)random.NextDouble();
        }

        if (crop) result = Resample(result, cropTheta, GridSampleMode.Bilinear, GridSamplePaddingMode.Border);
        if (options.Colour) result = Colour(result, colour);
        if (options.Translation) result = Translate(result, shifts, options.TranslationFraction);
        return result.clamp(Scalars.MinusOne, Scalars.One).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Per image, a square-ish crop (area fraction s ∈ [min, max], aspect r ∈ [0.98, 1.02]) at a uniform position,
    /// as an affine map of normalised coordinates: x_in = w·x_out + cx (w = half-width in [−1, 1] units).
    /// </summary>
    private static void CropParameters(SeededRandom random, AugmentationOptions options, Span<float> theta)
    {
        double scale = random.Uniform(options.CropScaleMin, options.CropScaleMax);
        double ratio = Math.Exp(random.Uniform(Math.Log(0.98), Math.Log(1.02)));
        double w = Math.Min(1, Math.Sqrt(scale * ratio)), h = Math.Min(1, Math.Sqrt(scale / ratio));
        double cx = (2 * random.NextDouble() - 1) * (1 - w), cy = (2 * random.NextDouble() - 1) * (1 - h);
        theta.Clear();
        theta[0] = (float)w;
        theta[2] = (float)cx;
        theta[4] = (float)h;
        theta[5] = (float)cy;
    }

    /// <summary>DiffAugment colour: brightness + (u − 0.5); saturation ×2u around the channel mean; contrast ×(u + 0.5) around the image mean.</summary>
    private static Tensor Colour(Tensor x, float[] u)
    {
        long batch = x.shape[0];
        var r = tensor(u, new long[] { batch, 3 }, device: x.device).to_type(x.dtype);
        Tensor Column(int k) => r[.., k].view(batch, 1, 1, 1);
        x = x.add(Column(0).sub(Scalars.Of(0.5)), Scalars.One);
        var channelMean = x.mean(new long[] { 1 }, keepdim: true);                      // (B, 1, H, W)
        x = (x - channelMean).mul(Column(1).mul(Scalars.Of(2L))).add(channelMean, Scalars.One);
        var imageMean = x.mean(new long[] { 1, 2, 3 }, keepdim: true);                  // (B, 1, 1, 1)
        return (x - imageMean).mul(Column(2).add(Scalars.Of(0.5), Scalars.One)).add(imageMean, Scalars.One);
    }

    /// <summary>DiffAugment translation: integer shifts up to ±fraction·side per axis, vacated pixels zero (mid-grey).</summary>
    private static Tensor Translate(Tensor x, float[] u, double fraction)
    {
        long batch = x.shape[0], height = x.shape[2], width = x.shape[3];
        int maxX = (int)(width * fraction + 0.5), maxY = (int)(height * fraction + 0.5);
        var theta = new float[batch * 6];
        for (long b = 0; b < batch; b++)
        {
            // Shift in whole pixels; in normalised units a pixel is 2/side. Sampling at x − shift moves content by +shift.
            int dx = (int)Math.Floor(u[b * 2] * (2 * maxX + 1)) - maxX, dy = (int)Math.Floor(u[b * 2 + 1] * (2 * maxY + 1)) - maxY;
            theta[b * 6 + 0] = 1;
            theta[b * 6 + 2] = -2f * dx / width;
            theta[b * 6 + 4] = 1;
            theta[b * 6 + 5] = -2f * dy / height;
        }
        return Resample(x, theta, GridSampleMode.Nearest, GridSamplePaddingMode.Zeros);
    }

    private static Tensor Resample(Tensor x, float[] theta, GridSampleMode mode, GridSamplePaddingMode padding)
    {
        long batch = x.shape[0];
        var affine = tensor(theta, new long[] { batch, 2, 3 }, device: x.device).to_type(x.dtype);
        var grid = F.affine_grid(affine, x.shape, align_corners: false);                // (B, H, W, 2)
        return F.grid_sample(x, grid, mode, padding, align_corners: false);               // (B, C, H, W)
    }
}
