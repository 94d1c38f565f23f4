using System;
using System.Linq;
using System.Text.Json;
using AttributeGan.Evaluation.Reporting;
using Xunit;

namespace AttributeGan.Evaluation.Tests;

public class Table1SummaryTests
{
    // Three seeds of one model (one diverged), one run of another, and the real-image rows, which are never summarised.
    private static Table1 Seeds() => new(
        "FD-ResNet18",
        new[] { "cell_crowding", "mitosis" },
        new[]
        {
            new Table1Row("Real images", null, new[] { 0.011, 0.037 }, "held-out", 120),
            new Table1Row("Real vs real (halves)", 12.5, new[] { double.NaN, double.NaN }, "halves", 250) { Diversity = 0.998 },
            new Table1Row("AttributeGan64 (s0)", 100, new[] { 0.1, 0.3 }, "runs/s0", 64) { Diversity = 0.5, LayoutDiversity = 0.3, Model = "AttributeGan64" },
            new Table1Row("AttributeGan64 (s1)", 110, new[] { 0.2, 0.3 }, "runs/s1", 64) { Diversity = 0.6, LayoutDiversity = 0.4, Model = "AttributeGan64" },
            new Table1Row("AttributeGan64 (s2)", double.NaN, new[] { 0.3, 0.3 }, "runs/s2", 64) { Diversity = 0.7, LayoutDiversity = 0.8, Model = "AttributeGan64" },
            new Table1Row("AttributeGan64NoAttention", 142, new[] { 0.035, 0.2 }, "runs/a", 64) { Diversity = 0.04, Model = "AttributeGan64NoAttention" },
        },
        new Table1Settings(64, 7, "EMA", "classifier.bin", "data/attributes.csv", 500, "FD-ResNet18: 512-d features"));

    [Fact]
    public void Runs_of_one_model_become_mean_and_sample_sd_and_single_runs_are_left_out()
    {
        var summary = Seeds().Summary;

        var row = Assert.Single(summary);
        Assert.Equal("AttributeGan64", row.Model);
        Assert.Equal(3, row.Runs);
        Assert.Equal(0.6, row.Diversity.Mean, 12);
        Assert.Equal(0.1, row.Diversity.Sd, 12);                                         // sample sd: √(((−0.1)² + 0² + 0.1²) / 2)
        Assert.Equal(0.2, row.Errors[0].Mean, 12);
        Assert.Equal(0.0, row.Errors[1].Sd, 12);
        // The diverged run's NaN distance is left out of the spread and counted as missing.
        Assert.Equal(105, row.Distance.Mean, 12);
        Assert.Equal(Math.Sqrt(50), row.Distance.Sd, 12);
        Assert.Equal(2, row.Distance.Count);
    }

    [Fact]
    public void The_chart_draws_a_model_with_several_runs_as_one_bar_of_its_mean_and_sd()
    {
        var entries = Table1Chart.Entries(Seeds());

        Assert.Equal(new[] { "Real images", "Real vs real (halves)", "AttributeGan64 (3 runs)", "AttributeGan64NoAttention" }, entries.Select(e => e.Name));
        var model = entries[2];
        Assert.Equal(105, model.Distance, 12);                                                   // the diverged run left out, as in the summary
        Assert.Equal(Math.Sqrt(50), model.DistanceSd, 12);
        Assert.Equal(new[] { 0.2, 0.3 }, model.Errors.Select(e => Math.Round(e, 12)));
        Assert.Equal(0.1, model.ErrorSds[0], 12);
        Assert.True(double.IsNaN(entries[3].DistanceSd), "a single run has no whisker");
        Assert.Equal(142, entries[3].Distance);

        // In the picture: two model colours, not one per run (four runs would use the palette's first four).
        using var directory = new TempDirectory();
        var colours = ChartPixels.Colours(Table1Report.WriteAll(Seeds(), directory.Path).Single(p => p.EndsWith(".png", StringComparison.Ordinal)));
        Assert.NotNull(colours);
        var palette = new ScottPlot.Palettes.Category10();
        Assert.Contains(ChartPixels.Of(palette.GetColor(0)), colours);
        Assert.Contains(ChartPixels.Of(palette.GetColor(1)), colours);
        Assert.DoesNotContain(ChartPixels.Of(palette.GetColor(2)), colours);
        Assert.DoesNotContain(ChartPixels.Of(palette.GetColor(3)), colours);
    }

    [Fact]
    public void Markdown_prints_the_summary_under_the_table_and_says_which_runs_a_value_covers()
    {
        var text = Table1Report.ToMarkdown(Seeds());

        Assert.Contains("Over the runs of each model (mean ± sample sd):", text);
        Assert.Contains("| model | runs | FD-ResNet18 ↓ | diversity ↑ | layout diversity ↑ | cell_crowding ↓ | mitosis ↓ |", text);
        Assert.Contains("| AttributeGan64 | 3 | 105.000 ± 7.071 (2 of 3) | 0.600 ± 0.100 | 0.500 ± 0.265 | 0.200 ± 0.100 | 0.300 ± 0.000 |", text);
        Assert.DoesNotContain("| AttributeGan64NoAttention | 1 |", text);
    }

    [Fact]
    public void Json_has_the_summary_with_the_runs_each_value_covers()
    {
        using var json = JsonDocument.Parse(Table1Json.Write(Seeds()));
        var summary = Assert.Single(json.RootElement.GetProperty("summary").EnumerateArray().ToArray());

        Assert.Equal("AttributeGan64", summary.GetProperty("model").GetString());
        Assert.Equal(3, summary.GetProperty("runs").GetInt32());
        Assert.Equal(2, summary.GetProperty("distance").GetProperty("runs").GetInt32());
        Assert.Equal(0.1, summary.GetProperty("diversity").GetProperty("sd").GetDouble(), 12);
        Assert.Equal(0.5, summary.GetProperty("layoutDiversity").GetProperty("mean").GetDouble(), 12);
        Assert.Equal("AttributeGan64", json.RootElement.GetProperty("rows")[2].GetProperty("model").GetString());
    }

    [Fact]
    public void A_table_without_repeated_models_has_no_summary()
    {
        var table = Seeds();
        var single = new Table1(table.DistanceName, table.Attributes, table.Rows.Take(3).Concat(table.Rows.Skip(5)).ToArray(), table.Settings);

        Assert.Empty(single.Summary);
        Assert.DoesNotContain("mean ± sample sd", Table1Report.ToMarkdown(single));
    }
}
