using AttributeGan.Runtime.IO;
using System;
using System.Collections.Generic;
using System.Linq;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// Animated GIFs from Skia bitmaps. Skia cannot encode GIF, so the pixels move into ImageSharp (pinned to 2.1.13,
/// used here only for its GIF encoder): Skia's Rgba8888/unpremultiplied layout is exactly ImageSharp's Rgba32.
/// </summary>
public static class GifWriter
{
    /// <summary>
    /// Writes <paramref name="frames"/> as one animation, each shown for <paramref name="frameDelayMs"/> (GIF counts in
    /// hundredths of a second), looping forever unless <paramref name="loop"/> is false. Frames of different sizes are
    /// centred on a white canvas of the largest size. The file is written atomically.
    /// </summary>
    public static void Save(IReadOnlyList<SKBitmap> frames, string path, int frameDelayMs = 250, bool loop = true)
    {
        if (frames.Count == 0) throw new ArgumentException("An animation needs at least one frame.", nameof(frames));
        if (frameDelayMs < 10) throw new ArgumentOutOfRangeException(nameof(frameDelayMs), frameDelayMs, "GIF delays are whole hundredths of a second: use at least 10 ms.");

        int width = frames.Max(f => f.Width), height = frames.Max(f => f.Height);
        using var animation = new Image<Rgba32>(width, height);
        // RepeatCount 0 is the NETSCAPE extension's "loop forever"; 1 plays once.
        animation.Metadata.GetGifMetadata().RepeatCount = (ushort)(loop ? 0 : 1);
        foreach (var frame in frames)
        {
            using var rgba = Normalise(frame, width, height);
            using var image = Image.LoadPixelData<Rgba32>(rgba.GetPixelSpan(), width, height);
            var metadata = image.Frames.RootFrame.Metadata.GetGifMetadata();
            metadata.FrameDelay = frameDelayMs / 10;
            metadata.DisposalMethod = GifDisposalMethod.RestoreToBackground;
            animation.Frames.AddFrame(image.Frames.RootFrame);
        }

        animation.Frames.RemoveFrame(0);                                // the blank frame the constructor made
        var encoder = new GifEncoder { ColorTableMode = GifColorTableMode.Local };  // each frame its own palette: frames differ in colour
        AtomicFile.Write(path, stream => animation.SaveAsGif(stream, encoder));
    }

    // Rgba8888, unpremultiplied, tightly packed rows, at the animation's size.
    private static SKBitmap Normalise(SKBitmap frame, int width, int height)
    {
        using var sized = frame.Width == width && frame.Height == height ? null : GridImage.PadTo(frame, width, height);
        var rgba = ImageConversion.ToRgba(sized ?? frame);
        if (rgba.RowBytes != width * 4) throw new InvalidOperationException($"Unexpected row padding ({rgba.RowBytes} bytes for {width} pixels).");
        return rgba;
    }
}
