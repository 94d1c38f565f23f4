using System;
using System.Collections.Generic;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>Checks and resizing shared by the feature extractors' inputs: RGB images (B, 3, H, W) in [0, 1].</summary>
internal static class ImageBatch
{
    // Resizing and float rounding may leave values a hair outside [0, 1]; anything further out is a wrong range.
    private const double RangeSlack = 1e-3;

    /// <summary>Throws unless <paramref name="images"/> is (B, 3, H, W), floating point, with values in [0, 1].</summary>
    public static void CheckRgb01(Tensor images, string extractor)
    {
        if (images.dim() != 4 || images.shape[1] != 3 || images.shape[0] == 0 || images.shape[2] == 0 || images.shape[3] == 0)
        {
            throw new ArgumentException($"{extractor} expects RGB images (B, 3, H, W), got ({string.Join(", ", images.shape)}).", nameof(images));
        }
        if (!images.is_floating_point())
        {
            throw new ArgumentException($"{extractor} expects floating-point images with values in [0, 1], got {images.dtype}.", nameof(images));
        }
        using var lowest = images.min().to(ScalarType.Float64);
        using var highest = images.max().to(ScalarType.Float64);
        var (min, max) = (lowest.item<double>(), highest.item<double>());
        if (!(min >= -RangeSlack && max <= 1 + RangeSlack))
        {
            throw new ArgumentException($"{extractor} expects RGB values in [0, 1], got values in [{min}, {max}]; map a tanh generator's output with (x + 1) / 2 first.", nameof(images));
        }
    }

    /// <summary>
    /// <paramref name="features"/> applied to consecutive slices of at most <paramref name="batchSize"/> images, the
    /// results concatenated along the batch: memory stays that of one slice however many images come in.
    /// </summary>
    public static Tensor InSlices(Tensor images, int batchSize, Func<Tensor, Tensor> features)
    {
        var results = new List<Tensor>();
        try
        {
            for (long start = 0; start < images.shape[0]; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var slice = images.narrow(0, start, Math.Min(batchSize, images.shape[0] - start)); // (b, 3, H, W)
                results.Add(features(slice).MoveToOuterDisposeScope());                // (b, D)
            }
            return cat(results, 0);                                                      // (B, D)
        }
        finally
        {
            foreach (var result in results)
            {
                result.Dispose();
            }
        }
    }

    /// <summary>
    /// Bilinear resize of (B, C, H, W) to (B, C, size, size) with align_corners = false (pixel centres, as PIL,
    /// ImageSharp and pytorch-fid resample); unchanged when already that size.
    /// </summary>
    public static Tensor ResizeBilinear(Tensor images, int size, bool antialias)
    {
        if (images.shape[2] == size && images.shape[3] == size)
        {
            return images.alias();
        }
        return F.interpolate(images, new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false, antialias: antialias);
    }
}
