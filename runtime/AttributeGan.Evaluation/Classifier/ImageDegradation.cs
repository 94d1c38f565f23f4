using System;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// Degradation of training images for a classifier that must read generated images, not only real ones: each image,
/// with probability <see cref="Probability"/>, is blurred by a Gaussian of standard deviation σ_b ~ U(0, <see
/// cref="MaxBlurSigma"/>) pixels and gets per-pixel Gaussian noise of σ_n ~ U(0, <see cref="MaxNoiseSigma"/>) (in
/// [0, 1] units). A generator at this scale draws softer edges and speckle that real images lack; a classifier trained
/// on clean images only may answer one level for every such image (the report's "What the classifier answered" shows
/// it). The labels stay the table's: blur of a pixel and noise change no attribute level.
/// </summary>
public sealed record ImageDegradation(double Probability = 0.5, double MaxBlurSigma = 1.0, double MaxNoiseSigma = 0.05)
{
    /// <summary>Kernel radius: 2 pixels, ±2σ at the largest allowed σ of 1 (the truncated tail is renormalised away).</summary>
    private const int Radius = 2;

    public void Validate()
    {
        if (!(Probability >= 0 && Probability <= 1)) throw Invalid(nameof(Probability), $"must be in [0, 1], got {Probability}.");
        if (!(MaxBlurSigma >= 0 && MaxBlurSigma <= 1)) throw Invalid(nameof(MaxBlurSigma), $"must be in [0, 1] pixels (the kernel's radius is {Radius}), got {MaxBlurSigma}.");
        if (!(MaxNoiseSigma >= 0 && MaxNoiseSigma <= 0.5)) throw Invalid(nameof(MaxNoiseSigma), $"must be in [0, 0.5], got {MaxNoiseSigma}.");
    }

    /// <summary>
    /// Degrades (B, C, H, W) images in [0, 1]; returns new (B, C, H, W) images in [0, 1], float64 for float64 images and
    /// float32 otherwise (a float64 classifier keeps its inputs in float64 from the pixels on). Every draw comes from
    /// <paramref name="random"/>.
    /// </summary>
    public Tensor Apply(Tensor images, SeededRandom random)
    {
        if (images.dim() != 4) throw new ArgumentException($"Images must be (B, C, H, W), got ({string.Join(", ", images.shape)}).", nameof(images));
        long b = images.shape[0], c = images.shape[1], h = images.shape[2], w = images.shape[3];
        var dtype = images.dtype == ScalarType.Float64 ? ScalarType.Float64 : ScalarType.Float32;
        var kernels = new double[b * c * (2 * Radius + 1)];
        var noiseSigmas = new double[b];
        for (int i = 0; i < b; i++)
        {
            bool degrade = random.Chance(Probability);
            double blur = degrade ? random.Uniform(0, MaxBlurSigma) : 0, noise = degrade ? random.Uniform(0, MaxNoiseSigma) : 0;
            noiseSigmas[i] = noise;
            var kernel = GaussianKernel(blur);
            for (int ch = 0; ch < c; ch++) kernel.CopyTo(kernels, (i * c + ch) * kernel.Length);
        }

        using var scope = NewDisposeScope();
        var device = images.device;
        // Separable blur as one grouped convolution per axis, one group per (image, channel): (1, B·C, H, W).
        // The kernel is rounded once, from double, to the images' type (float32: the values of the float kernels before).
        var weight = tensor(kernels, device: device).to(dtype).view(b * c, 1, 1, 2 * Radius + 1);  // (B·C, 1, 1, 2r+1)
        var x = images.to(dtype).reshape(1, b * c, h, w);                                // (1, B·C, H, W)
        x = nn.functional.pad(x, new long[] { Radius, Radius, 0, 0 }, PaddingModes.Reflect);
        x = nn.functional.conv2d(x, weight, groups: b * c);                               // (1, B·C, H, W), along W
        x = nn.functional.pad(x, new long[] { 0, 0, Radius, Radius }, PaddingModes.Reflect);
        x = nn.functional.conv2d(x, weight.transpose(2, 3), groups: b * c);               // (1, B·C, H, W), along H
        x = x.view(b, c, h, w);                                                           // (B, C, H, W)

        using var generator = new torch.Generator(random.NextUInt64());
        var sigmas = tensor(noiseSigmas, device: device).to(dtype).view(b, 1, 1, 1);      // (B, 1, 1, 1)
        var noisy = x.add(sigmas * randn(new long[] { b, c, h, w }, dtype, generator: generator).to(device), Scalars.One);
        return noisy.clamp(Scalars.Zero, Scalars.One).MoveToOuterDisposeScope();          // (B, C, H, W)
    }

    /// <summary>The normalised 1-D Gaussian of standard deviation <paramref name="sigma"/> over −r..r; σ = 0 is the identity.</summary>
    internal static double[] GaussianKernel(double sigma)
    {
        var kernel = new double[2 * Radius + 1];
        if (sigma <= 0)
        {
            kernel[Radius] = 1;
            return kernel;
        }

        double sum = 0;
        for (int k = -Radius; k <= Radius; k++) sum += kernel[k + Radius] = Math.Exp(-k * k / (2 * sigma * sigma));
        for (int k = 0; k < kernel.Length; k++) kernel[k] /= sum;
        return kernel;
    }

    private static InvalidSettingException Invalid(string property, string problem) => new(typeof(ImageDegradation), property, problem);
}
