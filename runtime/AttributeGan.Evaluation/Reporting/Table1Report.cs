using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AttributeGan.Evaluation.Metrics;
using AttributeGan.Runtime.IO;

namespace AttributeGan.Evaluation.Reporting;

/// <summary>
/// Writes Table 1 as Markdown (the paper's layout, three decimals, then what the classifier answered), CSV and JSON
/// (full precision, for scripts; the JSON also holds each row's confusion matrices) and a bar chart. A value not measured
/// (the real-images row's distance and diversities, the real halves' attribute errors) is "—" in Markdown, an empty field
/// in CSV, null in JSON.
/// </summary>
public static class Table1Report
{
    public const string NoDistance = "—";

    /// <summary>Writes table1.md, table1.csv, table1.json and table1.png into <paramref name="directory"/>, each atomically; returns their paths.</summary>
    public static IReadOnlyList<string> WriteAll(Table1 table, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new (string Name, byte[] Bytes)[]
        {
            ("table1.md", Encoding.UTF8.GetBytes(ToMarkdown(table))),
            ("table1.csv", Encoding.UTF8.GetBytes(ToCsv(table))),
            ("table1.json", Encoding.UTF8.GetBytes(Table1Json.Write(table))),
            ("table1.png", Table1Chart.RenderPng(table)),
        };
        var paths = new List<string>();
        foreach (var (name, bytes) in files)
        {
            string path = Path.Combine(directory, name);
            AtomicFile.WriteAllBytes(path, bytes);
            paths.Add(path);
        }
        return paths;
    }

    public static string ToMarkdown(Table1 table)
    {
        var text = new StringBuilder();
        text.Append("| | ").Append(Cell(table.DistanceName)).Append(" ↓ | diversity ↑ | layout diversity ↑ |");
        foreach (var attribute in table.Attributes) text.Append(' ').Append(Cell(attribute)).Append(" ↓ |");
        text.Append('\n').Append("| --- | ---: | ---: | ---: |");
        foreach (var _ in table.Attributes) text.Append(" ---: |");
        text.Append('\n');
        foreach (var row in table.Rows)
        {
            text.Append("| ").Append(Cell(row.Name)).Append(" | ").Append(Shown(row.Distance)).Append(" | ").Append(Shown(row.Diversity)).Append(" | ").Append(Shown(row.LayoutDiversity)).Append(" |");
            foreach (var error in row.Errors) text.Append(' ').Append(Shown(error)).Append(" |");
            text.Append('\n');
        }

        AppendSummary(text, table);

        var s = table.Settings;
        text.Append('\n')
            .Append($"{table.DistanceName}: Fréchet distance between the features ({Cell(s.FeatureNetwork)}) of {s.Samples:N0} generated images per run ")
            .Append($"and of the {s.RealImages:N0} real images of {Cell(s.Data)}. ")
            .Append("Diversity: per attribute combination, the mean pairwise distance of the generated images' features divided by that of the real ")
            .Append("images of the combination, averaged over combinations weighted by their generated images (1 = as varied as the data; near 0 = ")
            .Append("the samples ignore the noise). Layout diversity: the same ratio over the images' pixels averaged down to 16×16, where grain ")
            .Append("averages out: images that share their layout read near 0 however their texture differs. ")
            .Append("Real vs real: one half of the real images against the other, the floor of these columns. ")
            .Append("Attribute error: per attribute, the mean squared difference between the level the classifier predicts (its argmax class) ")
            .Append("and the requested level, both normalised to [0, 1] (level / (levels − 1)). Best constant answer: per attribute, the error of ")
            .Append("answering one level for every request, the level that fits the requests best; a run at or above it does not show control of that attribute. ")
            .Append($"Classifier: {Cell(s.Classifier)}. Real images: the classifier's held-out images. ")
            .Append($"Generated images: {s.Generator} generator, attribute combinations drawn from the real data's frequencies, seed {s.Seed}.\n\n");
        text.Append("| row | images | source |\n| --- | ---: | --- |\n");
        foreach (var row in table.Rows) text.Append($"| {Cell(row.Name)} | {row.Images:N0} | {Cell(row.Source)} |\n");

        AppendAnswers(text, table);
        return text.ToString();
    }

    /// <summary>
    /// After everything else, what the classifier answered: the collapses first (one line each), then per attribute one
    /// table with a block of rows per group (the real images, each model's runs added up): one row per requested level
    /// and one for all requests, one column per predicted level, each cell the share of that row's images.
    /// </summary>
    private static void AppendAnswers(StringBuilder text, Table1 table)
    {
        var groups = ClassifierAnswers.Groups(table);
        if (groups.Count == 0) return;
        text.Append("\nWhat the classifier answered: per attribute, of the images requested at a level (rows), the share it predicted at each level ")
            .Append("(columns; the requested level in bold, \"·\" for none). Real images: its held-out images at their table level; a model: the images of all its runs. ")
            .Append("An attribute error says how far the answers are from the requests; these tables say which answers they were.\n\n");
        if (table.Rows.Any(r => r.Name == Table1Evaluator.RealImagesRow && r.Confusions is null))
            text.Append("The real images' answers are not shown: the classifier's held-out images could not be identified again in this data.\n\n");

        var collapses = ClassifierAnswers.Collapses(table);
        if (collapses.Count == 0)
            text.Append($"No group answers one level for {ClassifierAnswers.Percent(ClassifierAnswers.CollapseShare)} or more of its images of any attribute.\n");
        else
        {
            text.Append($"One answer for {ClassifierAnswers.Percent(ClassifierAnswers.CollapseShare)} or more of the images (the attribute error is then that constant answer's):\n\n");
            foreach (var collapse in collapses) text.Append("- ").Append(Cell(collapse.ToString())).Append('\n');
        }

        for (int a = 0; a < table.Attributes.Count; a++)
        {
            var levels = groups[0].Confusions[a].Levels;
            text.Append('\n').Append(Cell(table.Attributes[a])).Append(":\n\n| | requested | images |");
            foreach (var level in levels) text.Append(' ').Append(Cell(level)).Append(" |");
            text.Append("\n| --- | --- | ---: |");
            foreach (var _ in levels) text.Append(" ---: |");
            text.Append('\n');
            foreach (var group in groups) AppendAnswerRows(text, group.Label, group.Confusions[a]);
        }
    }

    /// <summary>One group's rows of an attribute's answer table: a row per requested level, then all requests together.</summary>
    private static void AppendAnswerRows(StringBuilder text, string label, ConfusionMatrix matrix)
    {
        int k = matrix.Levels.Count;
        for (int requested = 0; requested < k; requested++)
        {
            long images = matrix.Requested(requested);
            text.Append(requested == 0 ? $"| {Cell(label)} |" : "| |").Append(' ').Append(Cell(matrix.Levels[requested]))
                .Append(" | ").Append(images.ToString("N0", CultureInfo.InvariantCulture)).Append(" |");
            for (int predicted = 0; predicted < k; predicted++)
            {
                string share = Share(matrix[requested, predicted], images);
                text.Append(' ').Append(predicted == requested && matrix[requested, predicted] > 0 ? $"**{share}**" : share).Append(" |");
            }
            text.Append('\n');
        }
        text.Append("| | *any* | ").Append(matrix.Total.ToString("N0", CultureInfo.InvariantCulture)).Append(" |");
        for (int predicted = 0; predicted < k; predicted++) text.Append(' ').Append(Share(matrix.Predicted(predicted), matrix.Total)).Append(" |");
        text.Append('\n');
    }

    /// <summary>A count as a share of its row: "·" for none, "—" for a row without images.</summary>
    private static string Share(long count, long total) => total == 0 ? NoDistance : count == 0 ? "·" : ClassifierAnswers.Percent((double)count / total);

    /// <summary>Under the table, when a model has several runs (seeds): each column as mean ± sample sd over them.</summary>
    private static void AppendSummary(StringBuilder text, Table1 table)
    {
        var summary = table.Summary;
        if (summary.Count == 0) return;
        text.Append("\nOver the runs of each model (mean ± sample sd):\n\n");
        text.Append("| model | runs | ").Append(Cell(table.DistanceName)).Append(" ↓ | diversity ↑ | layout diversity ↑ |");
        foreach (var attribute in table.Attributes) text.Append(' ').Append(Cell(attribute)).Append(" ↓ |");
        text.Append('\n').Append("| --- | ---: | ---: | ---: | ---: |");
        foreach (var _ in table.Attributes) text.Append(" ---: |");
        text.Append('\n');
        foreach (var row in summary)
        {
            text.Append("| ").Append(Cell(row.Model)).Append(" | ").Append(row.Runs.ToString(CultureInfo.InvariantCulture))
                .Append(" | ").Append(Shown(row.Distance, row.Runs)).Append(" | ").Append(Shown(row.Diversity, row.Runs))
                .Append(" | ").Append(Shown(row.LayoutDiversity, row.Runs)).Append(" |");
            foreach (var error in row.Errors) text.Append(' ').Append(Shown(error, row.Runs)).Append(" |");
            text.Append('\n');
        }
    }

    /// <summary>"mean ± sd", with "(n of runs)" when some runs had no finite value; "—" when none had.</summary>
    private static string Shown(Spread spread, int runs)
    {
        if (spread.Count == 0) return NoDistance;
        string value = spread.Count > 1 ? $"{Fixed(spread.Mean)} ± {Fixed(spread.Sd)}" : Fixed(spread.Mean);
        return spread.Count < runs ? $"{value} ({spread.Count} of {runs})" : value;
    }

    public static string ToCsv(Table1 table)
    {
        var text = new StringBuilder();
        text.Append(Csv("model")).Append(',').Append(Csv(table.DistanceName)).Append(",diversity,layout_diversity");
        foreach (var attribute in table.Attributes) text.Append(',').Append(Csv(attribute));
        text.Append(',').Append("images").Append(',').Append("source").Append('\n');
        foreach (var row in table.Rows)
        {
            text.Append(Csv(row.Name)).Append(',').Append(row.Distance is { } d ? Exact(d) : "").Append(',').Append(row.Diversity is { } v ? Exact(v) : "")
                .Append(',').Append(row.LayoutDiversity is { } p ? Exact(p) : "");
            foreach (var error in row.Errors) text.Append(',').Append(double.IsNaN(error) ? "" : Exact(error));
            text.Append(',').Append(row.Images.ToString(CultureInfo.InvariantCulture)).Append(',').Append(Csv(row.Source)).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Three decimals, or "—" for a value not measured (the console table shows its cells the same way).</summary>
    public static string Shown(double? value) => value is { } v && !double.IsNaN(v) ? Fixed(v) : NoDistance;

    /// <summary>Three decimals, as the paper prints both columns.</summary>
    internal static string Fixed(double value) => double.IsFinite(value) ? value.ToString("0.000", CultureInfo.InvariantCulture) : value.ToString(CultureInfo.InvariantCulture);

    private static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // A pipe would end the Markdown cell and a newline the row.
    private static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");

    private static string Csv(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) >= 0 ? "\"" + field.Replace("\"", "\"\"") + "\"" : field;
}
