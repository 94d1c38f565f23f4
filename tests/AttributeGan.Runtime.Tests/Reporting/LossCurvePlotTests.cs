using System;
using System.Linq;
using AttributeGan.Runtime.Reporting;
using AttributeGan.Runtime.Sampling;
using AttributeGan.Runtime.Tests.Sampling;
using ScottPlot;
using SkiaSharp;
using Xunit;

namespace AttributeGan.Runtime.Tests.Reporting;

public class LossCurvePlotTests
{
    private static LossSeries Noisy(string name, double level, int seed)
    {
        var random = new Random(seed);
        return LossSeries.From(name, Enumerable.Range(0, 200).Select(i => ((long)i * 10, level + Math.Exp(-i / 50.0) + 0.3 * random.NextDouble())));
    }

    [Fact]
    public void The_chart_is_written_at_the_requested_size_with_curves_and_text()
    {
        using var directory = new TempDirectory();
        string path = directory.File("loss.png");
        var series = new[] { Noisy("generator", 1.0, 1), Noisy("discriminator", 0.2, 2) };

        LossCurvePlot.SavePng(series, path, new LossPlotOptions(Width: 640, Height: 360, Title: "Tiny losses"));
        using var png = SKBitmap.Decode(path);

        Assert.Equal((640, 360), (png.Width, png.Height));
        var colours = Enumerable.Range(0, png.Height).SelectMany(y => Enumerable.Range(0, png.Width).Select(x => png.GetPixel(x, y))).ToList();
        Assert.True(colours.Distinct().Count() > 50, "the chart looks blank");
        // Category10's first two colours are the smoothed lines; their exact pixels exist.
        var palette = new ScottPlot.Palettes.Category10();
        foreach (int i in new[] { 0, 1 })
        {
            var c = palette.GetColor(i);
            Assert.Contains(new SKColor(c.R, c.G, c.B), colours);
        }

        // Title text: dark pixels in the top band above the data area.
        Assert.True(SamplingTestHelpers.CountNot(png, SKColors.White, 0, 0, png.Width, 30) > 40);
    }

    [Fact]
    public void Smoothing_is_an_exponential_moving_average_that_skips_non_finite_values()
    {
        var smoothed = LossCurvePlot.Smooth(new[] { 1.0, 3.0, double.NaN, 3.0 }, 0.5);

        Assert.Equal(new[] { 1.0, 2.0, 2.0, 2.5 }, smoothed);
        Assert.Equal(new[] { 4.0, 5.0 }, LossCurvePlot.Smooth(new[] { 4.0, 5.0 }, 0));
    }

    [Fact]
    public void The_embedded_font_resolves_by_name_in_scottplot()
    {
        EmbeddedFontResolver.Register();
        EmbeddedFontResolver.Register();                                 // idempotent

        Assert.Single(Fonts.FontResolvers.OfType<EmbeddedFontResolver>());
        Assert.IsType<EmbeddedFontResolver>(Fonts.FontResolvers[0]);
        Assert.Equal(EmbeddedFont.FamilyName, Fonts.Default);
        var resolver = new EmbeddedFontResolver();
        using var typeface = resolver.CreateTypeface("dejavu sans", bold: true, italic: false);
        Assert.Equal(EmbeddedFont.FamilyName, typeface!.FamilyName);
        Assert.Null(resolver.CreateTypeface("Comic Sans MS", false, false));
    }

    [Fact]
    public void Mismatched_series_and_bad_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => new LossSeries("g", new long[] { 1, 2 }, new double[] { 1 }));
        Assert.Throws<ArgumentException>(() => LossCurvePlot.RenderPng(Array.Empty<LossSeries>(), new LossPlotOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => LossCurvePlot.RenderPng(new[] { Noisy("g", 1, 1) }, new LossPlotOptions(Smoothing: 1)));
    }
}
