using System;
using System.IO;
using SkiaSharp;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// The DejaVu Sans face compiled into this assembly. Grids and plots draw text with it because a headless machine
/// may have no fonts at all and Skia's default face differs between versions (a serif on 3.119, empty on 4.x).
/// </summary>
public static class EmbeddedFont
{
    /// <summary>The manifest resource name set in the project file.</summary>
    public const string ResourceName = "AttributeGan.Runtime.DejaVuSans.ttf";

    /// <summary>The family name inside the font file (what ScottPlot asks for by name).</summary>
    public const string FamilyName = "DejaVu Sans";

    // The file is read once; every typeface is made from the same immutable bytes.
    private static readonly Lazy<byte[]> FontBytes = new(ReadResource);
    private static readonly Lazy<SKTypeface> Shared = new(CreateTypeface);

    /// <summary>One process-wide typeface; never dispose it.</summary>
    public static SKTypeface Typeface => Shared.Value;

    /// <summary>A new typeface owned by the caller (for libraries that cache or dispose what they are given).</summary>
    public static SKTypeface CreateTypeface()
    {
        // SKMemoryStream copies the bytes into a native stream that the typeface owns, so nothing managed
        // has to stay alive for Skia's lazy glyph reads.
        var typeface = SKTypeface.FromStream(new SKMemoryStream(FontBytes.Value));
        return typeface ?? throw new InvalidOperationException($"Skia could not read the embedded font '{ResourceName}'.");
    }

    /// <summary>A font of this face at <paramref name="size"/> pixels, anti-aliased with subpixel positioning for small labels.</summary>
    public static SKFont CreateFont(float size) => new(Typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };

    private static byte[] ReadResource()
    {
        using var stream = typeof(EmbeddedFont).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The font resource '{ResourceName}' is missing from {typeof(EmbeddedFont).Assembly.GetName().Name}; check the EmbeddedResource item in its project file.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
