using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using AttributeGan.Models.Numerics;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// Generator output (float in [−1, 1]) ↔ 8-bit RGB pixels. The mapping is x → round((clamp(x, −1, 1) + 1) · 127.5),
/// so −1 → 0, 0 → 128 and 1 → 255; one channel becomes grey. Tensors may live on any device: the arithmetic runs
/// where the tensor is and only the bytes come back to the CPU.
/// </summary>
public static class ImageConversion
{
    /// <summary>
    /// (C, H, W) or (B, C, H, W) float, C ∈ {1, 3} → (B, H, W, 3) uint8 on the CPU (B = 1 for a single image).
    /// NaN (a diverged generator) is drawn as mid grey rather than as whatever the byte cast makes of it.
    /// </summary>
    public static Tensor ToRgbBytes(Tensor images)
    {
        using var scope = NewDisposeScope();
        var batch = AsBatch(images);                                     // (B, C, H, W)
        var scaled = nan_to_num(batch.to(ScalarType.Float32), nan: 0.0)
            .clamp(Scalars.Of(-1.0), Scalars.Of(1.0)).add(Scalars.Of(1.0), Scalars.One).mul(Scalars.Of(127.5)).round(); // [0, 255], integral
        var bytes = scaled.to(ScalarType.Byte);
        if (bytes.shape[1] == 1) bytes = bytes.expand(-1, 3, -1, -1);    // grey: R = G = B
        return bytes.permute(0, 2, 3, 1).contiguous().cpu().MoveToOuterDisposeScope(); // (B, H, W, 3)
    }

    /// <summary>One image (C, H, W) → its RGB bytes, row-major, 3 per pixel (length H·W·3).</summary>
    public static byte[] ToRgb(Tensor image)
    {
        RequireRank(image, 3, "(C, H, W)");
        using var bytes = ToRgbBytes(image);
        return bytes.data<byte>().ToArray();
    }

    /// <summary>One image (C, H, W) → an opaque RGBA bitmap of W × H pixels.</summary>
    public static SKBitmap ToBitmap(Tensor image)
    {
        RequireRank(image, 3, "(C, H, W)");
        using var bytes = ToRgbBytes(image);
        return BitmapFromRgb(bytes[0]);
    }

    /// <summary>A batch (B, C, H, W) → B bitmaps, converted in one pass (the caller disposes them).</summary>
    public static IReadOnlyList<SKBitmap> ToBitmaps(Tensor images)
    {
        RequireRank(images, 4, "(B, C, H, W)");
        using var bytes = ToRgbBytes(images);
        var bitmaps = new SKBitmap[bytes.shape[0]];
        for (int i = 0; i < bitmaps.Length; i++)
        {
            using var one = bytes[i];
            bitmaps[i] = BitmapFromRgb(one);
        }

        return bitmaps;
    }

    /// <summary>
    /// The inverse, for tests and for reading images back: a bitmap → (C, H, W) float32 on the CPU with
    /// x = byte / 127.5 − 1 (C = 3, or 1 taking the red channel of a grey image).
    /// </summary>
    public static Tensor FromBitmap(SKBitmap bitmap, int channels = 3)
    {
        if (channels is not (1 or 3)) throw new ArgumentOutOfRangeException(nameof(channels), channels, "Only 1 or 3 channels are supported.");
        using var rgba = ToRgba(bitmap);
        int width = rgba.Width, height = rgba.Height;
        var pixels = rgba.GetPixelSpan();
        var values = new float[channels * height * width];
        int plane = height * width;
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < channels; c++)
                values[c * plane + p] = pixels[p * 4 + c] / 127.5f - 1f;
        return tensor(values, new long[] { channels, height, width });
    }

    /// <summary>(H, W, 3) uint8 on the CPU → an opaque Rgba8888 bitmap (the layout ImageSharp's Rgba32 reads directly).</summary>
    internal static SKBitmap BitmapFromRgb(Tensor rgb)
    {
        int height = (int)rgb.shape[0], width = (int)rgb.shape[1];
        using var alpha = full(new long[] { height, width, 1 }, Scalars.Of(255L), ScalarType.Byte);
        using var rgba = cat(new[] { rgb, alpha }, 2).contiguous();     // (H, W, 4)
        var data = rgba.data<byte>().ToArray();
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        int rowBytes = width * 4;
        var destination = bitmap.GetPixels();
        // Skia may pad rows; copy row by row against its stride.
        for (int y = 0; y < height; y++)
            Marshal.Copy(data, y * rowBytes, destination + y * bitmap.RowBytes, rowBytes);
        return bitmap;
    }

    /// <summary>A copy in Rgba8888/unpremultiplied, whatever the source's colour type (e.g. a decoded PNG's Bgra8888).</summary>
    internal static SKBitmap ToRgba(SKBitmap source)
    {
        var info = new SKImageInfo(source.Width, source.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var copy = new SKBitmap(info);
        if (!source.CopyTo(copy, SKColorType.Rgba8888))
        {
            using var canvas = new SKCanvas(copy);
            canvas.Clear(SKColors.Transparent);
            canvas.DrawBitmap(source, 0, 0);
        }

        return copy;
    }

    private static Tensor AsBatch(Tensor images)
    {
        var batch = images.dim() switch
        {
            3 => images.unsqueeze(0),
            4 => images.alias(),
            _ => throw new ArgumentException($"Expected (C, H, W) or (B, C, H, W), got shape ({string.Join(", ", images.shape)}).", nameof(images)),
        };
        long channels = batch.shape[1];
        if (channels is not (1 or 3))
            throw new ArgumentException($"Images need 1 (grey) or 3 (RGB) channels, got {channels} channels in shape ({string.Join(", ", images.shape)}).", nameof(images));
        return batch;
    }

    private static void RequireRank(Tensor tensor, int rank, string layout)
    {
        if (tensor.dim() != rank)
            throw new ArgumentException($"Expected {layout}, got shape ({string.Join(", ", tensor.shape)}).", nameof(tensor));
    }
}
