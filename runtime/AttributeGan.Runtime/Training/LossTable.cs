using AttributeGan.Runtime.IO;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AttributeGan.Runtime.Checkpoints;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// losses.csv: one row per step. Rows are buffered and written with each checkpoint, so the table never runs
/// ahead of the newest checkpoint; on resume, rows after the resumed step are dropped.
/// </summary>
public sealed class LossTable
{
    // The classification columns came last, after the rest: a run resumed from a table written before them keeps its rows aligned.
    private const string Header = "step,d_adversarial,d_reconstruction,d_contrastive,g_adversarial,g_contrastive,noise_spread,attribute_spread,images_per_second,resident_mb,d_classification,g_classification";

    /// <summary>The columns of the collapse monitor: empty on the steps it does not measure.</summary>
    public static readonly IReadOnlyList<string> SpreadColumns = new[] { "noise_spread", "attribute_spread" };
    private readonly string path;
    private readonly List<string> pending = new();

    public LossTable(string path, long resumedStep)
    {
        this.path = path;
        var kept = File.Exists(path)
            ? File.ReadAllLines(path).Skip(1).Where(line => StepOf(line) is { } step && step <= resumedStep).ToList()
            : new List<string>();
        AtomicFile.WriteAllText(path, string.Join("\n", new[] { Header }.Concat(kept)) + "\n");
    }

    public void Add(StepReport report)
    {
        var l = report.Losses;
        static string Cell(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        var losses = new double[] { l.DiscriminatorAdversarial, l.Reconstruction, l.DiscriminatorContrastive, l.GeneratorAdversarial, l.GeneratorContrastive }.Select(Cell);
        var spreads = report.Spread is { } s ? new[] { Cell(s.Noise), Cell(s.Attribute) } : new[] { "", "" };
        pending.Add(string.Join(",", new[] { report.Step.ToString(CultureInfo.InvariantCulture) }
            .Concat(losses).Concat(spreads).Concat(new[] { Cell(report.ImagesPerSecond), Cell(report.ResidentBytes / 1048576.0) })
            .Concat(new[] { Cell(l.DiscriminatorClassification), Cell(l.GeneratorClassification) })));
    }

    public void Flush()
    {
        if (pending.Count == 0) return;
        File.AppendAllText(path, string.Join("\n", pending) + "\n", Encoding.UTF8);
        pending.Clear();
    }

    /// <summary>Reads the table back as series by column name (for the plots); a column's empty cells are left out.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(long Step, double Value)>> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var names = lines[0].Split(',');
        var series = names.Skip(1).ToDictionary(n => n, _ => new List<(long, double)>());
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            long step = long.Parse(cells[0], CultureInfo.InvariantCulture);
            for (int i = 1; i < names.Length && i < cells.Length; i++)
            {
                if (cells[i].Length > 0) series[names[i]].Add((step, double.Parse(cells[i], CultureInfo.InvariantCulture)));
            }
        }

        return series.ToDictionary(p => p.Key, p => (IReadOnlyList<(long, double)>)p.Value);
    }

    /// <summary>One column's values by step (empty cells left out); none when the table does not exist.</summary>
    public static IReadOnlyList<(long Step, double Value)> Series(string path, string column) =>
        File.Exists(path) && Read(path).TryGetValue(column, out var values) ? values : Array.Empty<(long, double)>();

    private static long? StepOf(string line) =>
        long.TryParse(line.AsSpan(0, Math.Max(0, line.IndexOf(','))), NumberStyles.None, CultureInfo.InvariantCulture, out long step) ? step : null;
}
