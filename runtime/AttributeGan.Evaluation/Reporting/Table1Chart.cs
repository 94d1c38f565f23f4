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
    public static byte[] RenderPng(Table1 table, int width = 1200, int height = 500)
    {
        if (width < 300 || height < 200) throw new ArgumentOutOfRangeException(nameof(width), $"A {width}×{height} chart is too small to read.");
        EmbeddedFontResolver.Register();
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        var distance = new Plot();
        var errors = new Plot();
        try
        {
            var colours = RowColours(table.Rows);
            DrawDistances(distance, table, colours);
            DrawErrors(errors, table, colours);
            multiplot.AddPlot(distance);
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
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, runs.Length).Select(i => (double)i).ToArray(), runs.Select(r => r.Row.Name).ToArray());
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
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            Enumerable.Range(0, table.Attributes.Count).Select(i => (double)i).ToArray(), table.Attributes.ToArray());
        for (int r = 0; r < rows; r++)
            plot.Legend.ManualItems.Add(new LegendItem { LabelText = table.Rows[r].Name, FillColor = colours[r] });
        plot.ShowLegend(Alignment.UpperRight);
        plot.Axes.Margins(bottom: 0, top: 0.25);                  // room for the legend above the bars
    }

    private static void Style(Plot plot, string title, string yLabel)
    {
        plot.Font.Set(EmbeddedFont.FamilyName);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.HideGrid();
    }

    /// <summary>Grey for the real images (the floor), palette colours for the runs in order.</summary>
    private static IReadOnlyList<Color> RowColours(IReadOnlyList<Table1Row> rows)
    {
        var palette = new ScottPlot.Palettes.Category10();
        int next = 0;
        return rows.Select(r => r.Distance is null ? Colors.Gray : palette.GetColor(next++)).ToArray();
    }
}
