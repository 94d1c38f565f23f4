using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using AttributeGan.Evaluation.Reporting;
using SkiaSharp;
using Xunit;

namespace AttributeGan.Evaluation.Tests;

public class Table1ReportTests
{
    // The paper's numbers for three rows and two of its attributes.
    private static Table1 PaperTable() => new(
        "FD-ResNet18",
        new[] { "cell_crowding", "mitosis" },
        new[]
        {
            new Table1Row("Real images", null, new[] { 0.011, 0.037 }, "held-out real images of data/attributes.csv", 120),
            new Table1Row("Real vs real (halves)", 12.5, new[] { double.NaN, double.NaN }, "250 vs 250 real images of data", 250) { Diversity = 0.998, LayoutDiversity = 1.0125 },
            new Table1Row("AttributeGan64", 53.689, new[] { 0.021, 0.088 }, "runs/full (step 300, step-000300.ckpt)", 64) { Diversity = 0.61, LayoutDiversity = 0.83 },
            new Table1Row("AttributeGan64NoAttention", 142.015, new[] { 0.035, 0.2084 }, "runs/a|b (step 300)", 64) { Diversity = 0.0425 },
        },
        new Table1Settings(64, 7, "EMA", "classifier.bin (resnet18-imagenet, trained on 64×64)", "data/attributes.csv", 500, "FD-ResNet18: 512-d features"));

    [Fact]
    public void Markdown_has_the_papers_layout_with_a_dash_for_the_real_images_distance()
    {
        var lines = Table1Report.ToMarkdown(PaperTable()).Split('\n');

        Assert.Equal("| | FD-ResNet18 ↓ | diversity ↑ | layout diversity ↑ | cell_crowding ↓ | mitosis ↓ |", lines[0]);
        Assert.Equal("| --- | ---: | ---: | ---: | ---: | ---: |", lines[1]);
        Assert.Equal("| Real images | — | — | — | 0.011 | 0.037 |", lines[2]);
        Assert.Equal("| Real vs real (halves) | 12.500 | 0.998 | 1.013 | — | — |", lines[3]);
        Assert.Equal("| AttributeGan64 | 53.689 | 0.610 | 0.830 | 0.021 | 0.088 |", lines[4]);
        Assert.Equal("| AttributeGan64NoAttention | 142.015 | 0.043 | — | 0.035 | 0.208 |", lines[5]);   // a table written before the column
        var text = string.Join('\n', lines);
        Assert.Contains("64 generated images per run", text);
        Assert.Contains("argmax", text);
        Assert.Contains("seed 7", text);
        Assert.Contains("runs/a\\|b", text);   // a pipe in a cell is escaped, not a column break
    }

    [Fact]
    public void Csv_keeps_full_precision_and_leaves_the_real_distance_empty()
    {
        var lines = Table1Report.ToCsv(PaperTable()).TrimEnd('\n').Split('\n');

        Assert.Equal("model,FD-ResNet18,diversity,layout_diversity,cell_crowding,mitosis,images,source", lines[0]);
        Assert.Equal("Real images,,,,0.011,0.037,120,held-out real images of data/attributes.csv", lines[1]);
        Assert.Equal("Real vs real (halves),12.5,0.998,1.0125,,,250,250 vs 250 real images of data", lines[2]);
        Assert.Equal("AttributeGan64NoAttention,142.015,0.0425,,0.035,0.2084,64,runs/a|b (step 300)", lines[4]);
        Assert.Equal(5, lines.Length);
        Assert.Equal("\"runs/full (step 300, step-000300.ckpt)\"", lines[3].Split(',', 8)[7]);
    }

    [Fact]
    public void Json_names_every_value()
    {
        using var json = JsonDocument.Parse(Table1Json.Write(PaperTable()));
        var root = json.RootElement;

        Assert.Equal("FD-ResNet18", root.GetProperty("distance").GetString());
        Assert.Equal(new[] { "cell_crowding", "mitosis" }, root.GetProperty("attributes").EnumerateArray().Select(a => a.GetString()));
        var rows = root.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("distance").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("diversity").ValueKind);
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("attributeErrors").GetProperty("mitosis").ValueKind);
        Assert.Equal(53.689, rows[2].GetProperty("distance").GetDouble());
        Assert.Equal(0.61, rows[2].GetProperty("diversity").GetDouble());
        Assert.Equal(0.2084, rows[3].GetProperty("attributeErrors").GetProperty("mitosis").GetDouble());
        Assert.Equal(120, rows[0].GetProperty("images").GetInt32());
        Assert.Equal(7, root.GetProperty("settings").GetProperty("seed").GetInt32());
        Assert.Equal("EMA", root.GetProperty("settings").GetProperty("generator").GetString());
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_errors_is_refused()
    {
        var settings = PaperTable().Settings;
        var e = Assert.Throws<ArgumentException>(() => new Table1("FD-ResNet18", new[] { "a", "b" }, new[] { new Table1Row("x", 1, new[] { 0.1 }, "", 2) }, settings));
        Assert.Contains("Row 'x' has 1 attribute errors but the table has 2", e.Message);
    }

    [Fact]
    public void All_four_files_are_written_and_the_chart_decodes_with_bars_in_the_row_colours()
    {
        using var directory = new TempDirectory();
        var paths = Table1Report.WriteAll(PaperTable(), directory.Path);

        Assert.Equal(new[] { "table1.md", "table1.csv", "table1.json", "table1.png" }, paths.Select(Path.GetFileName));
        Assert.Equal(Table1Report.ToMarkdown(PaperTable()), File.ReadAllText(paths[0]));
        using var png = SKBitmap.Decode(paths[3]);
        Assert.NotNull(png);
        Assert.Equal((1400, 560), (png.Width, png.Height));
        var colours = ChartPixels.Colours(paths[3]);
        var palette = new ScottPlot.Palettes.Category10();
        foreach (var c in new[] { palette.GetColor(0), palette.GetColor(1), ScottPlot.Colors.Gray })
            Assert.Contains(ChartPixels.Of(c), colours!);
        Assert.Empty(Directory.GetFiles(directory.Path, "*.tmp"));
    }
}
