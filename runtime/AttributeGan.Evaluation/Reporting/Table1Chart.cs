using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Runtime.Reporting;
using AttributeGan.Runtime.Sampling;
using ScottPlot;

namespace AttributeGan.Evaluation.Reporting;

/// <summary>
/// Table 1 as a PNG bar chart (ScottPlot): on the left the distance of each run, on the right the attribute error
/// grouped by attribute with one bar per row (the real images' floor in grey first). Text uses the embedded font,
/// so labels survive on a machine without system fonts.
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
            var colours = RowColours(table.Rows);
            DrawDistances(distance, table, colours);
            DrawErrors(errors, table, colours);
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

    private static void DrawDistances(Plot plot, Table1 table, IReadOnlyList<Color> colours)
    {
        Style(plot, $"{table.DistanceName} (lower is better)", table.DistanceName);
        var runs = table.Rows.Select((row, i) => (Row: row, Colour: colours[i])).Where(r => r.Row.Distance is { } d && double.IsFinite(d)).ToArray();
        if (runs.Length == 0) return;
        var bars = runs.Select((r, i) => new Bar
        {
            Position = i,
            Value = r.Row.Distance!.Value,
            FillColor = r.Colour,
            Label = Table1Report.Fixed(r.Row.Distance!.Value),
        }).ToArray();
        plot.Add.Bars(bars);
        Categories(plot, runs.Select(r => r.Row.Name).ToArray());
        plot.Axes.Margins(bottom: 0, top: 0.15);
    }

    private static void DrawErrors(Plot plot, Table1 table, IReadOnlyList<Color> colours)
    {
        Style(plot, "Attribute error (lower is better)", "error (normalised levels, MSE)");
        int rows = table.Rows.Count;
        double width = 0.8 / Math.Max(rows, 1);                   // the bars of one attribute share 0.8 of a unit
        var bars = new List<Bar>();
        for (int a = 0; a < table.Attributes.Count; a++)
            for (int r = 0; r < rows; r++)
            {
                double value = table.Rows[r].Errors[a];
                if (!double.IsFinite(value)) continue;
                bars.Add(new Bar { Position = a - 0.4 + width * (r + 0.5), Value = value, Size = width * 0.9, FillColor = colours[r] });
            }
        if (bars.Count > 0) plot.Add.Bars(bars.ToArray());
        Categories(plot, table.Attributes.ToArray());
        for (int r = 0; r < rows; r++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = table.Rows[r].Name, FillColor = colours[r] });
        plot.ShowLegend(Edge.Bottom);                             // outside the data area: it never hides a bar
        plot.Axes.Margins(bottom: 0, top: 0.1);
    }

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

    /// <summary>Greys for the real-image floors, palette colours for the runs in order.</summary>
    private static IReadOnlyList<Color> RowColours(IReadOnlyList<Table1Row> rows)
    {
        var palette = new ScottPlot.Palettes.Category10();
        int next = 0;
        return rows.Select(r => r.Name switch
        {
            Table1Evaluator.RealImagesRow => Colors.Gray,
            Table1Evaluator.RealHalvesRow => Colors.DarkGray,
            _ => palette.GetColor(next++),
        }).ToArray();
    }
}
