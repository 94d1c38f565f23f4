using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Reporting;
using AttributeGan.Runtime.Sampling;
using SkiaSharp;

namespace AttributeGan.Runtime.Training;

/// <summary>The pictures a run writes as it trains: attribute grids from the EMA generator and the loss curve.</summary>
public static class RunSampler
{
    /// <returns>The rendered grid (the caller may log it) after writing it to <paramref name="path"/>.</returns>
    public static SKBitmap WriteGrid(GanGenerator generator, IGanSpec spec, string attribute, IReadOnlyList<int> baseLevels, int columns, int seed, string path, string title)
    {
        using var grid = AttributeGridSampler.Sample(generator, spec, attribute, baseLevels, columns, seed, generator.parameters().First().device);
        var bitmap = grid.Render(title);
        bitmap.SavePng(path);
        return bitmap;
    }

    public static void WriteLossCurve(string lossTable, string path, string title)
    {
        var series = LossTable.Read(lossTable)
            .Where(s => s.Key is not ("images_per_second" or "resident_mb") && !LossTable.SpreadColumns.Contains(s.Key) && s.Value.Any(p => p.Value != 0))
            .Select(s => LossSeries.From(s.Key, s.Value))
            .ToList();
        if (series.Count == 0 || series[0].Steps.Count == 0) return;
        LossCurvePlot.SavePng(series, path, new LossPlotOptions(Title: title));
    }

    /// <summary>The collapse monitor's noise and attribute spreads over the run; false (nothing written) if none was measured.</summary>
    public static bool WriteSpreadCurve(string lossTable, string path, string title)
    {
        var series = LossTable.Read(lossTable)
            .Where(s => LossTable.SpreadColumns.Contains(s.Key) && s.Value.Count > 0)
            .Select(s => LossSeries.From(s.Key, s.Value))
            .ToList();
        if (series.Count == 0) return false;
        LossCurvePlot.SavePng(series, path, new LossPlotOptions(Title: title, Smoothing: 0, YLabel: "per-pixel standard deviation"));
        return true;
    }
}
