using System.Linq;
using AttributeGan.Evaluation.Metrics;
using AttributeGan.Evaluation.Reporting;
using Xunit;

namespace AttributeGan.Evaluation.Tests;

/// <summary>table1.json read back is the table written, and a damaged file is refused naming the field.</summary>
public class Table1JsonTests
{
    private static readonly string[] Levels = { "normal", "mild", "severe" };

    private static ConfusionMatrix Matrix(string attribute, long seed) =>
        new(attribute, Levels, Enumerable.Range(0, 3).Select(r => (System.Collections.Generic.IReadOnlyList<long>)Enumerable.Range(0, 3).Select(c => (seed + r * 3 + c) % 5).ToArray()).ToArray());

    /// <summary>Every kind of value a table holds: nulls, NaN errors and a diverged (NaN) distance, confusions, run and step.</summary>
    internal static Table1 Table(params (string Model, string Run, double Distance)[] runs) => new(
        "FD-ResNet18",
        new[] { "cell_crowding", "mitosis" },
        new[]
            {
                new Table1Row("Real images", null, new[] { 0.011, 0.037 }, "held-out real images of data", 120) { Confusions = new[] { Matrix("cell_crowding", 1), Matrix("mitosis", 2) } },
                new Table1Row("Real vs real (halves)", 12.5, new[] { double.NaN, double.NaN }, "250 vs 250 real images of data", 250) { Diversity = 0.998, LayoutDiversity = 1.0125 },
                new Table1Row("Best constant answer", null, new[] { 0.0684, 0.093 }, "one level per attribute", 64) { Confusions = new[] { Matrix("cell_crowding", 3), Matrix("mitosis", 4) } },
            }
            .Concat(runs.Select((r, i) => new Table1Row(r.Model, r.Distance, new[] { 0.1 / (i + 1), 0.2 / (i + 3) }, $"{r.Run} (step 300, step-000300.ckpt)", 64)
            {
                Diversity = 0.61 + i / 7.0, LayoutDiversity = 0.4 + i / 9.0, Model = r.Model, Run = r.Run, Step = 300, SpecHash = "2bebb54fa5268295",
                Confusions = new[] { Matrix("cell_crowding", i + 5), Matrix("mitosis", i + 6) },
            }))
            .ToArray(),
        new Table1Settings(64, 7, "EMA", "classifier.bin (resnet18-imagenet, trained on 64×64)", "/data", 500, "FD-ResNet18: 512-d features"));

    [Fact]
    public void A_table_read_back_is_the_table_written_to_the_last_bit()
    {
        var table = Table(("AttributeGan64", "runs/a", 1.0 / 3.0), ("AttributeGan64", "runs/b", double.NaN), ("BigGan64", "runs/c", 543.91827364519283));
        var read = Table1Json.Read(Table1Json.Write(table), "table1.json");

        Assert.True(read.SameContent(table));
        Assert.Equal(1.0 / 3.0, read.Rows[3].Distance);                     // bit-exact, not three decimals
        Assert.True(double.IsNaN(read.Rows[4].Distance!.Value));
        Assert.Null(read.Rows[0].Distance);
        Assert.True(double.IsNaN(read.Rows[1].Errors[1]));
        Assert.Equal("runs/b", read.Rows[4].Run);
        Assert.Equal(300, read.Rows[4].Step);
        Assert.Equal(0.4 + 1 / 9.0, read.Rows[4].LayoutDiversity);
        Assert.Equal("2bebb54fa5268295", read.Rows[4].SpecHash);
        Assert.Equal(table.Rows[5].Confusions![1].Rows(), read.Rows[5].Confusions![1].Rows());
        Assert.Equal(Table1Json.Write(table), Table1Json.Write(read));
    }

    [Fact]
    public void A_changed_number_is_a_different_table()
    {
        var table = Table(("AttributeGan64", "runs/a", 10.0));
        var changed = Table1Json.Read(Table1Json.Write(table).Replace("0.0684", "0.0685"), "table1.json");
        Assert.False(changed.SameContent(table));
    }

    [Fact]
    public void A_table_written_before_the_layout_diversity_column_reads_with_none()
    {
        var parsed = System.Text.Json.Nodes.JsonNode.Parse(Table1Json.Write(Table(("AttributeGan64", "runs/a", 10.0))))!;
        foreach (var row in parsed["rows"]!.AsArray()) row!.AsObject().Remove("layoutDiversity");
        foreach (var row in parsed["summary"]!.AsArray()) row!.AsObject().Remove("layoutDiversity");

        var read = Table1Json.Read(parsed.ToJsonString(), "old/table1.json");
        Assert.All(read.Rows, r => Assert.Null(r.LayoutDiversity));
        Assert.Equal(0.998, read.Rows[1].Diversity);
    }

    [Theory]
    [InlineData("\"samples\": 64", "\"samples\": \"64\"", "settings.samples is the text \"64\", not a whole number")]
    [InlineData("\"mitosis\": 0.037", "\"mitosis\": \"high\"", "rows[0].attributeErrors.mitosis is the text \"high\", not a number")]
    [InlineData("\"name\": \"Real images\",", "", "rows[0].name is missing (or null), not a text")]
    [InlineData("\"distance\": \"FD-ResNet18\"", "\"distance\": 3", "distance is the number 3, not a text")]
    public void A_damaged_file_is_refused_naming_the_file_and_the_field(string find, string replace, string expected)
    {
        string json = Table1Json.Write(Table(("AttributeGan64", "runs/a", 10.0)));
        Assert.Contains(find, json);
        var e = Assert.Throws<EvaluationException>(() => Table1Json.Read(json.Replace(find, replace), "eval/table1.json"));
        Assert.StartsWith("eval/table1.json: ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Text_that_is_not_json_is_refused_naming_the_file()
    {
        var e = Assert.Throws<EvaluationException>(() => Table1Json.Read("| | FD-ResNet18 |", "eval/table1.md"));
        Assert.Contains("eval/table1.md is not JSON", e.Message);
    }

    [Fact]
    public void A_confusion_matrix_of_the_wrong_shape_is_refused()
    {
        string json = Table1Json.Write(Table(("AttributeGan64", "runs/a", 10.0)));
        var parsed = System.Text.Json.Nodes.JsonNode.Parse(json)!;
        parsed["rows"]![3]!["confusion"]!["mitosis"]!["counts"]!.AsArray().RemoveAt(0);
        var e = Assert.Throws<EvaluationException>(() => Table1Json.Read(parsed.ToJsonString(), "t.json"));
        Assert.Contains("rows[3].confusion.mitosis: The confusion matrix of 'mitosis' must be 3×3", e.Message);
    }
}
