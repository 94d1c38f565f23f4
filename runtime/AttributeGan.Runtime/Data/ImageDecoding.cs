using System;
using System.IO;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace AttributeGan.Runtime.Data;

/// <summary>Format and size of an image file, read from its header without decoding the pixels.</summary>
public sealed record ImageHeader(string Format, int Width, int Height);

/// <summary>
/// Reads training images: PNG and JPEG only, checked before decoding, centre-cropped to a square, resized to the
/// model's resolution and scaled to [−1, 1]. ImageSharp is pinned to 2.1.13 (the last 2.x, see ENVIRONMENT.md)
/// and runs with a configuration that registers only these two formats, so a file claiming to be TIFF, BMP,
/// WebP, … is refused instead of reaching a decoder with later advisories.
/// </summary>
public static class ImageDecoding
{
    /// <summary>Longest accepted side; a header claiming more is refused before any pixel memory is allocated.</summary>
    public const int MaxSide = 8192;

    public static Configuration Configuration { get; } = new(new PngConfigurationModule(), new JpegConfigurationModule());

    /// <summary>Reads only the header: the format must be PNG or JPEG and both sides at most <see cref="MaxSide"/>.</summary>
    public static ImageHeader Identify(string path)
    {
        if (!File.Exists(path))
            throw new DataSetException(path, null, null, "the image file does not exist.", "check the path in the attribute table (paths are relative to the table's folder).");
        IImageInfo? info;
        IImageFormat? format;
        try
        {
            using var stream = File.OpenRead(path);
            info = Image.Identify(Configuration, stream, out format);
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException or IOException)
        {
            throw new DataSetException(path, null, null, $"the image cannot be read ({e.Message}).", "re-export the image as PNG or JPEG, or remove it from the table (or load with OnBadImage.Skip to leave it out).", e);
        }
        if (info is null || format is null)
            throw new DataSetException(path, null, null, "the file is not a PNG or JPEG image.", "convert it to PNG or JPEG (other formats are not accepted), or remove it from the table.");
        if (info.Width <= 0 || info.Height <= 0 || info.Width > MaxSide || info.Height > MaxSide)
            throw new DataSetException(path, null, null, $"the image claims {info.Width}×{info.Height} pixels; sides must be 1…{MaxSide}.",
                "tile or downscale the image before training, or remove it from the table.");
        return new ImageHeader(format.Name, info.Width, info.Height);
    }

    /// <summary>Decodes to (R, R, 3) RGB bytes: identify, decode, centre-crop to a square, resize to R×R.</summary>
    public static byte[] DecodeRgb(string path, int resolution)
    {
        if (resolution <= 0) throw new ArgumentOutOfRangeException(nameof(resolution), resolution, "Resolution must be positive.");
        var header = Identify(path);
        try
        {
            var bytes = File.ReadAllBytes(path);
            if (header.Format == "JPEG" && !JpegHasEnd(bytes))
                throw new InvalidImageContentException("the JPEG data ends before its end-of-image marker (truncated file)");
            if (header.Format == "PNG" && !PngHasEnd(bytes))
                throw new InvalidImageContentException("the PNG data ends before its IEND chunk (truncated file)");
            using var image = Image.Load<Rgb24>(Configuration, bytes);
            int side = Math.Min(image.Width, image.Height);
            if (image.Width != image.Height)
                image.Mutate(x => x.Crop(new Rectangle((image.Width - side) / 2, (image.Height - side) / 2, side, side)));
            if (side != resolution)
                image.Mutate(x => x.Resize(resolution, resolution, KnownResamplers.Bicubic));
            var rgb = new byte[resolution * resolution * 3];
            image.CopyPixelDataTo(rgb);
            return rgb;
        }
        catch (Exception e) when (e is ImageFormatException or InvalidImageContentException or NotSupportedException or IOException
                                      or InvalidOperationException or ArgumentException or IndexOutOfRangeException)
        {
            throw new DataSetException(path, null, null, $"the image is corrupt or truncated ({e.Message}).",
                "re-export the image, or remove it from the table (or load with OnBadImage.Skip to leave it out).", e);
        }
    }

    /// <summary>Decodes to (3, R, R) float32 in [−1, 1].</summary>
    public static float[] DecodeChw(string path, int resolution) => RgbToChw(DecodeRgb(path, resolution), resolution);

    /// <summary>(R, R, 3) bytes → (3, R, R) float32, v/127.5 − 1.</summary>
    public static float[] RgbToChw(ReadOnlySpan<byte> rgb, int resolution)
    {
        int plane = resolution * resolution;
        if (rgb.Length != plane * 3) throw new ArgumentException($"Expected {plane * 3} bytes for {resolution}×{resolution} RGB, got {rgb.Length}.", nameof(rgb));
        var chw = new float[plane * 3];
        for (int p = 0; p < plane; p++)
            for (int c = 0; c < 3; c++)
                chw[c * plane + p] = rgb[p * 3 + c] / 127.5f - 1f;
        return chw;
    }

    /// <summary>Writes (H, W, 3) RGB bytes as a PNG (lossless, so a written data set reads back bit-identically).</summary>
    public static void WritePng(string path, byte[] rgb, int width, int height)
    {
        using var image = Image.LoadPixelData<Rgb24>(Configuration, rgb, width, height);
        image.Save(path, new PngEncoder { CompressionLevel = PngCompressionLevel.BestSpeed });
    }

    /// <summary>
    /// A PNG cut after a complete IDAT chunk decodes as a partly blank image; walk the chunk lengths from the
    /// signature and require the IEND chunk inside the file.
    /// </summary>
    internal static bool PngHasEnd(byte[] data)
    {
        long i = 8;
        while (i + 8 <= data.Length)
        {
            long length = ((long)data[i] << 24) | ((long)data[i + 1] << 16) | ((long)data[i + 2] << 8) | data[i + 3];
            bool end = data[i + 4] == (byte)'I' && data[i + 5] == (byte)'E' && data[i + 6] == (byte)'N' && data[i + 7] == (byte)'D';
            i += 12 + length;
            if (end) return i <= data.Length;
        }
        return false;
    }

    /// <summary>
    /// ImageSharp decodes a truncated JPEG without complaint (missing scan data becomes grey), which would train
    /// on half-grey images. Walk the marker segments to the first scan and require an end-of-image marker
    /// (FF D9) after it; entropy-coded data never contains FF D9 because FF is byte-stuffed.
    /// </summary>
    internal static bool JpegHasEnd(byte[] data)
    {
        int i = 2;
        while (i + 3 < data.Length)
        {
            if (data[i] != 0xFF) return false;
            byte marker = data[i + 1];
            if (marker == 0xFF) { i++; continue; }                                    // fill bytes
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) { i += 2; continue; }
            if (marker == 0xD9) return true;
            int length = (data[i + 2] << 8) | data[i + 3];
            if (marker == 0xDA)
            {
                for (int k = i + 2 + length; k + 1 < data.Length; k++)
                    if (data[k] == 0xFF && data[k + 1] == 0xD9) return true;
                return false;
            }
            i += 2 + length;
        }
        return false;
    }
}
