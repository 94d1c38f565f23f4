using System;
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
/// Batch augmentation on tensors of any device. Random numbers come from a <see cref="SeededRandom"/> the caller
/// seeds per batch (the loader uses (seed, batch, rank)) and are drawn on the CPU in a fixed order; tensors are
/// only built from them, so the result is the same on every device and needs no global generator state.
/// </summary>
public static class Augmentation
{
    /// <summary>Augments (B, C, H, W) images in [−1, 1]; returns a new (B, C, H, W) tensor in [−1, 1].</summary>
    public static Tensor Apply(Tensor images, AugmentationOptions options, SeededRandom random)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected (B, C, H, W) images, got {images.dim()} dimensions.", nameof(images));
        using var scope = NewDisposeScope();
        long batch = images.shape[0];
        var result = images.alias();
        // Every random number is drawn whether or not its augmentation is on, so switching one option never
        // changes what the others do with the same seed.
        bool crop = random.NextDouble() < options.CropProbability;
        var cropTheta = CropParameters(random, batch, options);
        var colour = new float[batch * 3];
        for (int i = 0; i < colour.Length; i++) colour[i] = (float)random.NextDouble();
        var shifts = new float[batch * 2];
        for (int i = 0; i < shifts.Length; i++) shifts[i] = (float)random.NextDouble();

        if (crop) result = Resample(result, cropTheta, GridSampleMode.Bilinear, GridSamplePaddingMode.Border);
        if (options.Colour) result = Colour(result, colour);
        if (options.Translation) result = Translate(result, shifts, options.TranslationFraction);
        return result.clamp(-1, 1).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Per image, a square-ish crop (area fraction s ∈ [min, max], aspect r ∈ [0.98, 1.02]) at a uniform position,
    /// as an affine map of normalised coordinates: x_in = w·x_out + cx (w = half-width in [−1, 1] units).
    /// </summary>
    private static float[] CropParameters(SeededRandom random, long batch, AugmentationOptions options)
    {
        var theta = new float[batch * 6];
        for (long b = 0; b < batch; b++)
        {
            double scale = random.Uniform(options.CropScaleMin, options.CropScaleMax);
            double ratio = Math.Exp(random.Uniform(Math.Log(0.98), Math.Log(1.02)));
            double w = Math.Min(1, Math.Sqrt(scale * ratio)), h = Math.Min(1, Math.Sqrt(scale / ratio));
            double cx = (2 * random.NextDouble() - 1) * (1 - w), cy = (2 * random.NextDouble() - 1) * (1 - h);
            theta[b * 6 + 0] = (float)w;
            theta[b * 6 + 2] = (float)cx;
            theta[b * 6 + 4] = (float)h;
            theta[b * 6 + 5] = (float)cy;
        }
        return theta;
    }

    /// <summary>DiffAugment colour: brightness + (u − 0.5); saturation ×2u around the channel mean; contrast ×(u + 0.5) around the image mean.</summary>
    private static Tensor Colour(Tensor x, float[] u)
    {
        long batch = x.shape[0];
        var r = tensor(u, new long[] { batch, 3 }, device: x.device).to_type(x.dtype);
        Tensor Column(int k) => r[.., k].view(batch, 1, 1, 1);
        x = x + (Column(0) - 0.5);
        var channelMean = x.mean(new long[] { 1 }, keepdim: true);                      // (B, 1, H, W)
        x = (x - channelMean) * (Column(1) * 2) + channelMean;
        var imageMean = x.mean(new long[] { 1, 2, 3 }, keepdim: true);                  // (B, 1, 1, 1)
        return (x - imageMean) * (Column(2) + 0.5) + imageMean;
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
