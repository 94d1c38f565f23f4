using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Runtime.Reporting;
using AttributeGan.Runtime.Sampling;
using ScottPlot;

namespace AttributeGan.Evaluation.Reporting;

/// <summary>
/// Table 1 as a PNG bar chart (ScottPlot): on the left the distance of each bar, on the right the attribute error
/// grouped by attribute with one bar per entry (the real images' floors in grey first). A model with several runs
/// (seeds) is one bar, its mean with a whisker of ± one sample sd, as the summary under the table reads; a bar per run
/// made a twelve-run table unreadable (repeated colours, a legend cut off). Text uses the embedded font, so labels
/// survive on a machine without system fonts.
/// </summary>
public static class Table1Chart
{
    public static byte[] RenderPng(Table1 table, int width = 1400, int height = 560)
    {
        if (width < 300 || height < 200) throw new ArgumentOutOfRangeException(nameof(width), $"A {width}×{height} chart is too small to read.");
        EmbeddedFontResolver.Register();
        var distance = new Plot();
        var errors = new Plot();
        try
        {
            var entries = Entries(table);
            var colours = EntryColours(entries);
            DrawDistances(distance, table.DistanceName, entries, colours);
            DrawErrors(errors, table.Attributes, entries, colours);
            var multiplot = new Multiplot(distance) { Layout = new ScottPlot.MultiplotLayouts.Columns() };   // starts with the distance panel
            multiplot.AddPlot(errors);
            return multiplot.Render(width, height).GetImageBytes(ImageFormat.Png, 100);
        }
        finally
        {
            distance.Dispose();
            errors.Dispose();
        }
    }

    /// <summary>
    /// What the chart draws, in the table's row order: each row that is not a run of a model with several runs, and in
    /// place of the first run of such a model one entry for all of them (mean, sample sd; name "Model (n runs)").
    /// </summary>
    public static IReadOnlyList<Table1ChartEntry> Entries(Table1 table)
    {
        var summaries = table.Summary.ToDictionary(s => s.Model, StringComparer.Ordinal);
        var entries = new List<Table1ChartEntry>();
        var drawn = new HashSet<string>(StringComparer.Ordinal);
        var noSpread = table.Attributes.Select(_ => double.NaN).ToArray();
        foreach (var row in table.Rows)
        {
            if (row.Model is { } model && summaries.TryGetValue(model, out var summary))
            {
                if (drawn.Add(model))
                    entries.Add(new Table1ChartEntry($"{model} ({summary.Runs} runs)", summary.Distance.Mean, summary.Distance.Sd,
                        summary.Errors.Select(e => e.Mean).ToArray(), summary.Errors.Select(e => e.Sd).ToArray(), row.Name));
                continue;
            }
            entries.Add(new Table1ChartEntry(row.Name, row.Distance ?? double.NaN, double.NaN, row.Errors, noSpread, row.Name));
        }
        return entries;
    }

    private static void DrawDistances(Plot plot, string distanceName, IReadOnlyList<Table1ChartEntry> entries, IReadOnlyList<Color> colours)
    {
        Style(plot, $"{distanceName} (lower is better)", distanceName);
        var drawn = entries.Select((e, i) => (Entry: e, Colour: colours[i])).Where(e => double.IsFinite(e.Entry.Distance)).ToArray();
        if (drawn.Length == 0) return;
        var bars = drawn.Select((e, i) => new Bar
        {
            Position = i,
            Value = e.Entry.Distance,
            Error = Whisker(e.Entry.DistanceSd),
            FillColor = e.Colour,
            Label = double.IsFinite(e.Entry.DistanceSd)
                ? $"{Table1Report.Fixed(e.Entry.Distance)} ± {Table1Report.Fixed(e.Entry.DistanceSd)}"
                : Table1Report.Fixed(e.Entry.Distance),
        }).ToArray();
        plot.Add.Bars(bars);
        Categories(plot, drawn.Select(e => e.Entry.Name).ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.15);
    }

    private static void DrawErrors(Plot plot, IReadOnlyList<string> attributes, IReadOnlyList<Table1ChartEntry> entries, IReadOnlyList<Color> colours)
    {
        Style(plot, "Attribute error (lower is better)", "error (normalised levels, MSE)");
        int count = entries.Count;
        double width = 0.8 / Math.Max(count, 1);                  // the bars of one attribute share 0.8 of a unit
        var bars = new List<Bar>();
        for (int a = 0; a < attributes.Count; a++)
            for (int e = 0; e < count; e++)
            {
                double value = entries[e].Errors[a];
                if (!double.IsFinite(value)) continue;
                bars.Add(new Bar { Position = a - 0.4 + width * (e + 0.5), Value = value, Error = Whisker(entries[e].ErrorSds[a]), Size = width * 0.9, FillColor = colours[e] });
            }
        if (bars.Count > 0) plot.Add.Bars(bars.ToArray());
        Categories(plot, attributes.ToArray());
        for (int e = 0; e < count; e++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = entries[e].Name, FillColor = colours[e] });
        plot.ShowLegend(Edge.Bottom);                             // outside the data area: it never hides a bar
        plot.Axes.Margins(bottom: 0, top: 0.1);
    }

    /// <summary>A whisker of one sd; none (0) for a single measurement.</summary>
    private static double Whisker(double sd) => double.IsFinite(sd) ? sd : 0;

    /// <summary>One named tick per category at 0, 1, …, slanted so that long run and attribute names do not overlap.</summary>
    private static void Categories(Plot plot, string[] names)
    {
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(Enumerable.Range(0, names.Length).Select(i => (double)i).ToArray(), names);
        plot.Axes.Bottom.TickLabelStyle.Rotation = -25;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleRight;
        plot.Axes.Bottom.MinimumSize = 12 + 7 * names.Max(n => n.Length) * 0.45f;   // the slanted labels' height, about sin 25° of their width
    }

    private static void Style(Plot plot, string title, string yLabel)
    {
        plot.Font.Set(EmbeddedFont.FamilyName);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.HideGrid();
    }

    /// <summary>Greys for the floors and the constant answer, palette colours for the runs and models in order.</summary>
    private static IReadOnlyList<Color> EntryColours(IReadOnlyList<Table1ChartEntry> entries)
    {
        var palette = new ScottPlot.Palettes.Category10();
        int next = 0;
        return entries.Select(e => e.RowName switch
        {
            Table1Evaluator.RealImagesRow => Colors.Gray,
            Table1Evaluator.RealHalvesRow => Colors.DarkGray,
            Table1Evaluator.BestConstantRow => Colors.Black,
            _ => palette.GetColor(next++),
        }).ToArray();
    }
}

/// <summary>One bar group of <see cref="Table1Chart"/>: a table row, or a model's runs as mean and sample sd.</summary>
/// <param name="Name">The legend's and the axis's label.</param>
/// <param name="DistanceSd">NaN for one measurement (no whisker).</param>
/// <param name="ErrorSds">Per attribute; NaN for one measurement.</param>
/// <param name="RowName">The table row it stands for (the first run's, for a model).</param>
public sealed record Table1ChartEntry(string Name, double Distance, double DistanceSd, IReadOnlyList<double> Errors, IReadOnlyList<double> ErrorSds, string RowName);
