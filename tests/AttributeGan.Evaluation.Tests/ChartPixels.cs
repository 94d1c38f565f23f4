using System.Collections.Generic;
using System.Linq;
using SkiaSharp;

namespace AttributeGan.Evaluation.Tests;

/// <summary>What a rendered chart holds, for tests that ask which bar colours were drawn.</summary>
internal static class ChartPixels
{
    /// <summary>Every colour of the PNG at <paramref name="path"/>; null when it does not decode.</summary>
    public static HashSet<SKColor>? Colours(string path)
    {
        using var png = SKBitmap.Decode(path);
        return png is null ? null : Enumerable.Range(0, png.Height).SelectMany(y => Enumerable.Range(0, png.Width).Select(x => png.GetPixel(x, y))).ToHashSet();
    }

    /// <summary>A ScottPlot palette colour as SkiaSharp reads it back from the PNG.</summary>
    public static SKColor Of(ScottPlot.Color colour) => new(colour.R, colour.G, colour.B);
}
