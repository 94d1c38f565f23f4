using System;
using AttributeGan.Runtime.Sampling;
using ScottPlot;
using SkiaSharp;

namespace AttributeGan.Runtime.Reporting;

/// <summary>
/// Lets ScottPlot find the embedded DejaVu Sans by name. Without it, on a machine with no system fonts, ScottPlot
/// falls back to an empty typeface and every label, tick and title silently disappears from the PNG.
/// </summary>
public sealed class EmbeddedFontResolver : IFontResolver
{
    private static readonly object Gate = new();

    /// <summary>
    /// Puts this resolver first in <see cref="Fonts.FontResolvers"/> and makes the embedded face ScottPlot's default,
    /// once per process. ScottPlot caches typefaces by name, so this must run before the first plot is drawn.
    /// </summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (Fonts.FontResolvers.Exists(r => r is EmbeddedFontResolver)) return;
            Fonts.FontResolvers.Insert(0, new EmbeddedFontResolver());
            Fonts.Default = EmbeddedFont.FamilyName;
        }
    }

    // Only the regular face is embedded: bold and italic requests get it too (legible, just not bold).
    public SKTypeface? CreateTypeface(string fontName, FontWeight weight, FontSlant slant, FontSpacing width) => Create(fontName);

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => Create(fontName);

    // A new instance each time: ScottPlot caches (and may dispose) what it is given, so it must not get the shared one.
    private static SKTypeface? Create(string fontName) =>
        string.Equals(fontName, EmbeddedFont.FamilyName, StringComparison.OrdinalIgnoreCase) ? EmbeddedFont.CreateTypeface() : null;
}
