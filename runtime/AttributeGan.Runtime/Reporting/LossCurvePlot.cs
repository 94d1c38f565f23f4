using AttributeGan.Runtime.IO;
using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Runtime.Sampling;
using ScottPlot;

namespace AttributeGan.Runtime.Reporting;

/// <summary>One named loss curve: values at training steps (same length, steps ascending).</summary>
public sealed record LossSeries
{
    public LossSeries(string name, IReadOnlyList<long> steps, IReadOnlyList<double> values)
    {
        if (steps.Count != values.Count) throw new ArgumentException($"Series '{name}' has {steps.Count} steps but {values.Count} values.", nameof(values));
        Name = name;
        Steps = steps;
        Values = values;
    }

    public string Name { get; }

    public IReadOnlyList<long> Steps { get; }

    public IReadOnlyList<double> Values { get; }

    public static LossSeries From(string name, IEnumerable<(long Step, double Value)> points)
    {
        var list = points.ToArray();
        return new LossSeries(name, list.Select(p => p.Step).ToArray(), list.Select(p => p.Value).ToArray());
    }
}

/// <summary>How a loss chart looks. <see cref="Smoothing"/> is the EMA weight of the running value (0 = raw only).</summary>
public sealed record LossPlotOptions(
    int Width = 900,
    int Height = 500,
    double Smoothing = 0.9,
    string? Title = null,
    string XLabel = "step",
    string YLabel = "loss");

/// <summary>
/// Line charts of training losses with ScottPlot, written as PNG. With smoothing on, each series is drawn twice:
/// the raw values faint and thin, their exponential moving average in full colour (the legend names the smoothed
/// line), the way TensorBoard shows noisy GAN losses.
/// </summary>
public static class LossCurvePlot
{
    private const double RawAlpha = 0.25;

    /// <summary>Draws <paramref name="series"/> and writes the PNG atomically.</summary>
    public static void SavePng(IReadOnlyList<LossSeries> series, string path, LossPlotOptions? options = null)
    {
        options ??= new LossPlotOptions();
        var bytes = RenderPng(series, options);
        AtomicFile.WriteAllBytes(path, bytes);
    }

    /// <summary>The chart as PNG bytes.</summary>
    public static byte[] RenderPng(IReadOnlyList<LossSeries> series, LossPlotOptions options)
    {
        if (series.Count == 0) throw new ArgumentException("Nothing to plot: no loss series.", nameof(series));
        if (options.Width < 100 || options.Height < 100) throw new ArgumentOutOfRangeException(nameof(options), $"A {options.Width}×{options.Height} chart is too small to read.");
        if (!(options.Smoothing >= 0 && options.Smoothing < 1)) throw new ArgumentOutOfRangeException(nameof(options), options.Smoothing, "Smoothing is an EMA weight in [0, 1).");

        EmbeddedFontResolver.Register();
        var plot = new Plot();
        try
        {
            var palette = new ScottPlot.Palettes.Category10();
            for (int i = 0; i < series.Count; i++)
                AddSeries(plot, series[i], palette.GetColor(i), options.Smoothing);

            plot.Font.Set(EmbeddedFont.FamilyName);                      // every text element: title, axes, ticks, legend
            if (!string.IsNullOrEmpty(options.Title)) plot.Title(options.Title);
            plot.XLabel(options.XLabel);
            plot.YLabel(options.YLabel);
            plot.ShowLegend(Alignment.UpperRight);
            return plot.GetImageBytes(options.Width, options.Height, ImageFormat.Png);
        }
        finally
        {
            plot.Dispose();
        }
    }

    /// <summary>
    /// Exponential moving average s₀ = v₀, sₖ = α·sₖ₋₁ + (1 − α)·vₖ; non-finite values (a diverged step) are skipped,
    /// not averaged in, and their slot repeats the running value.
    /// </summary>
    public static double[] Smooth(IReadOnlyList<double> values, double smoothing)
    {
        var result = new double[values.Count];
        double running = double.NaN;
        for (int i = 0; i < values.Count; i++)
        {
            double v = values[i];
            if (double.IsFinite(v)) running = double.IsNaN(running) ? v : smoothing * running + (1 - smoothing) * v;
            result[i] = running;
        }

        return result;
    }

    private static void AddSeries(Plot plot, LossSeries series, Color colour, double smoothing)
    {
        // ScottPlot cannot scale axes around NaN/∞: plot only the finite points.
        var finite = Enumerable.Range(0, series.Values.Count).Where(i => double.IsFinite(series.Values[i])).ToArray();
        if (finite.Length == 0) return;
        double[] xs = finite.Select(i => (double)series.Steps[i]).ToArray();
        double[] raw = finite.Select(i => series.Values[i]).ToArray();

        var rawLine = plot.Add.ScatterLine(xs, raw, smoothing > 0 ? colour.WithAlpha(RawAlpha) : colour);
        rawLine.LineWidth = smoothing > 0 ? 1 : 2;
        if (smoothing == 0)
        {
            rawLine.LegendText = series.Name;
            return;
        }

        var smoothed = plot.Add.ScatterLine(xs, Smooth(raw, smoothing), colour);
        smoothed.LineWidth = 2;
        smoothed.LegendText = series.Name;
    }
}
