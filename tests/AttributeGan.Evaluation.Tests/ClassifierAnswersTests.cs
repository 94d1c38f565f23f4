using System;
using System.Linq;
using System.Text.Json;
using AttributeGan.Evaluation.Metrics;
using AttributeGan.Evaluation.Reporting;
using Xunit;

namespace AttributeGan.Evaluation.Tests;

public class ClassifierAnswersTests
{
    private static readonly string[] Crowding = { "normal", "mild", "severe" };
    private static readonly string[] Mitosis = { "rare", "frequent" };

    private static ConfusionMatrix[] Answers(long[][] crowding, long[][] mitosis) =>
        new[] { new ConfusionMatrix("cell_crowding", Crowding, crowding), new ConfusionMatrix("mitosis", Mitosis, mitosis) };

    private static Table1Row Row(string name, string? model, ConfusionMatrix[] answers) =>
        new(name, model is null ? null : 100, answers.Select(m => m.Error()).ToArray(), "src", (int)answers[0].Total) { Model = model, Confusions = answers };

    // A classifier that reads the real images; a model M (two runs) answered "mild" for nearly every crowding request;
    // a model N (one run) answered "frequent" for every mitosis request. The best constant answer is one column by design
    // and the real halves classify nothing: neither is a group.
    private static Table1 Answered() => new(
        "FD-ResNet18",
        new[] { "cell_crowding", "mitosis" },
        new[]
        {
            Row("Real images", null, Answers(new[] { new long[] { 8, 2, 0 }, new long[] { 1, 8, 1 }, new long[] { 0, 0, 10 } }, new[] { new long[] { 9, 1 }, new long[] { 2, 18 } })),
            new Table1Row("Real vs real (halves)", 12.5, new[] { double.NaN, double.NaN }, "halves", 250) { Diversity = 1 },
            Row("Best constant answer", null, Answers(new[] { new long[] { 0, 20, 0 }, new long[] { 0, 10, 0 }, new long[] { 0, 10, 0 } }, new[] { new long[] { 0, 10 }, new long[] { 0, 30 } })),
            Row("M (s0)", "M", Answers(new[] { new long[] { 0, 10, 0 }, new long[] { 0, 5, 0 }, new long[] { 0, 5, 0 } }, new[] { new long[] { 3, 2 }, new long[] { 1, 14 } })),
            Row("M (s1)", "M", Answers(new[] { new long[] { 2, 8, 0 }, new long[] { 0, 5, 0 }, new long[] { 0, 5, 0 } }, new[] { new long[] { 2, 3 }, new long[] { 2, 13 } })),
            Row("N", "N", Answers(new[] { new long[] { 5, 0, 0 }, new long[] { 0, 5, 0 }, new long[] { 0, 0, 5 } }, new[] { new long[] { 0, 5 }, new long[] { 0, 10 } })),
        },
        new Table1Settings(20, 7, "EMA", "classifier.bin", "data/attributes.csv", 500, "FD-ResNet18: 512-d features"));

    [Fact]
    public void Runs_of_a_model_are_added_up_beside_the_real_images()
    {
        var groups = ClassifierAnswers.Groups(Answered());

        Assert.Equal(new[] { "Real images", "M (2 runs)", "N" }, groups.Select(g => g.Label));
        Assert.Equal(new[] { new long[] { 2, 18, 0 }, new long[] { 0, 10, 0 }, new long[] { 0, 10, 0 } }, groups[1].Confusions[0].Rows());
        Assert.Equal(new[] { new long[] { 5, 5 }, new long[] { 3, 27 } }, groups[1].Confusions[1].Rows());
    }

    [Fact]
    public void One_level_for_ninety_percent_of_the_images_is_a_collapse()
    {
        var collapses = ClassifierAnswers.Collapses(Answered());

        // M: 38 of 40 crowding answers "mild" (95 %), requested for 10 of 40; N: all 15 mitosis answers "frequent", requested for 10.
        Assert.Equal(2, collapses.Count);
        Assert.Equal(new AnswerCollapse("M (2 runs)", "cell_crowding", "mild", 0.95, 0.25), collapses[0]);
        Assert.Equal("M (2 runs): cell_crowding: 95 % 'mild' whatever was requested ('mild' requested for 25 %)", collapses[0].ToString());
        Assert.Equal("N: mitosis: 100 % 'frequent' whatever was requested ('frequent' requested for 67 %)", collapses[1].ToString());
    }

    [Theory]
    [InlineData(0.0, "0 %")]
    [InlineData(0.004, "<1 %")]
    [InlineData(0.006, "1 %")]
    [InlineData(0.25, "25 %")]
    [InlineData(0.996, ">99 %")]
    [InlineData(1.0, "100 %")]
    public void Shares_are_whole_percentages_that_never_round_to_none_or_all(double share, string shown) =>
        Assert.Equal(shown, ClassifierAnswers.Percent(share));

    [Fact]
    public void Markdown_ends_with_what_the_classifier_answered_per_attribute_and_group()
    {
        string markdown = Table1Report.ToMarkdown(Answered());
        var lines = markdown.Split('\n');
        int section = Array.FindIndex(lines, l => l.StartsWith("What the classifier answered:", StringComparison.Ordinal));

        Assert.True(section > Array.FindIndex(lines, l => l.StartsWith("| row | images | source |", StringComparison.Ordinal)), "the section comes after the existing ones");
        Assert.Contains("- M (2 runs): cell_crowding: 95 % 'mild' whatever was requested ('mild' requested for 25 %)", lines);
        Assert.Contains("- N: mitosis: 100 % 'frequent' whatever was requested ('frequent' requested for 67 %)", lines);
        int crowding = Array.IndexOf(lines, "cell_crowding:", section);
        Assert.Equal(new[]
        {
            "cell_crowding:",
            "",
            "| | requested | images | normal | mild | severe |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
            "| Real images | normal | 10 | **80 %** | 20 % | · |",
            "| | mild | 10 | 10 % | **80 %** | 10 % |",
            "| | severe | 10 | · | · | **100 %** |",
            "| | *any* | 30 | 30 % | 33 % | 37 % |",
            "| M (2 runs) | normal | 20 | **10 %** | 90 % | · |",
            "| | mild | 10 | · | **100 %** | · |",
            "| | severe | 10 | · | 100 % | · |",
            "| | *any* | 40 | 5 % | 95 % | · |",
            "| N | normal | 5 | **100 %** | · | · |",
            "| | mild | 5 | · | **100 %** | · |",
            "| | severe | 5 | · | · | **100 %** |",
            "| | *any* | 15 | 33 % | 33 % | 33 % |",
            "",
            "mitosis:",
        }, lines[crowding..(crowding + 18)]);
        Assert.DoesNotContain("Best constant answer |", string.Join('\n', lines[section..]));
    }

    [Fact]
    public void Without_answers_there_is_no_section_and_unknown_real_answers_are_said_so()
    {
        var table = Answered();
        var runsOnly = new Table1(table.DistanceName, table.Attributes,
            table.Rows.Select(r => r.Name == "Real images" ? r with { Confusions = null } : r).ToArray(), table.Settings);
        var none = new Table1(table.DistanceName, table.Attributes, table.Rows.Select(r => r with { Confusions = null }).ToArray(), table.Settings);

        Assert.Contains("The real images' answers are not shown", Table1Report.ToMarkdown(runsOnly));
        Assert.DoesNotContain("| Real images | normal |", Table1Report.ToMarkdown(runsOnly));
        Assert.DoesNotContain("What the classifier answered", Table1Report.ToMarkdown(none));
    }

    [Fact]
    public void Json_rows_carry_their_confusion_matrices_rows_requested_columns_predicted()
    {
        using var json = JsonDocument.Parse(Table1Json.Write(Answered()));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToArray();

        var crowding = rows[3].GetProperty("confusion").GetProperty("cell_crowding");
        Assert.Equal(Crowding, crowding.GetProperty("levels").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal(new[] { new long[] { 0, 10, 0 }, new long[] { 0, 5, 0 }, new long[] { 0, 5, 0 } },
            crowding.GetProperty("counts").EnumerateArray().Select(r => r.EnumerateArray().Select(c => c.GetInt64()).ToArray()).ToArray());
        Assert.Equal(new[] { 2L, 13L }, rows[4].GetProperty("confusion").GetProperty("mitosis").GetProperty("counts")[1].EnumerateArray().Select(c => c.GetInt64()));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("confusion").ValueKind);
        // The existing fields are still there, unchanged.
        Assert.Equal(rows[3].GetProperty("attributeErrors").GetProperty("cell_crowding").GetDouble(), Answered().Rows[3].Errors[0]);
        Assert.Equal("M", rows[3].GetProperty("model").GetString());
    }

    [Fact]
    public void A_row_with_confusions_of_other_attributes_is_refused()
    {
        var table = Answered();
        var swapped = table.Rows[0] with { Confusions = table.Rows[0].Confusions!.Reverse().ToArray() };
        var e = Assert.Throws<ArgumentException>(() => new Table1(table.DistanceName, table.Attributes, new[] { swapped }, table.Settings));
        Assert.Contains("confusion matrices of mitosis, cell_crowding", e.Message);
    }
}
