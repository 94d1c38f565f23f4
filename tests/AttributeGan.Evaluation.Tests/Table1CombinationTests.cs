using System.Linq;
using AttributeGan.Evaluation.Reporting;
using Xunit;
using static AttributeGan.Evaluation.Tests.Table1JsonTests;

namespace AttributeGan.Evaluation.Tests;

/// <summary>Evaluations made separately combine into the table one evaluation of all the runs gives, or are refused.</summary>
public class Table1CombinationTests
{
    [Fact]
    public void Separate_evaluations_combine_into_the_joint_table_with_its_names_and_summary()
    {
        // What one evaluation of three runs writes: two runs share a spec, so their rows carry the run directory.
        var joint = Table(("AttributeGan64 (s0)", "runs/s0", 100.0), ("AttributeGan64 (s1)", "runs/s1", 120.0), ("BigGan64", "runs/big", 300.0));
        var separate = joint.Rows.Skip(3).Select(run => Table1Json.Read(Table1Json.Write(new Table1(joint.DistanceName, joint.Attributes,
            joint.Rows.Take(3).Append(run with { Name = run.Model == "BigGan64" ? "BigGan64" : "AttributeGan64", Model = run.Model == "BigGan64" ? "BigGan64" : "AttributeGan64" }).ToArray(),
            joint.Settings)), $"{run.Run}.json")).ToArray();

        var combined = Table1Combination.Combine(separate.Select((t, i) => ($"e{i}/table1.json", t)).ToArray());

        Assert.Equal(new[] { "Real images", "Real vs real (halves)", "Best constant answer", "AttributeGan64 (s0)", "AttributeGan64 (s1)", "BigGan64" },
            combined.Rows.Select(r => r.Name));
        Assert.Equal(joint.Rows.Skip(3).Select(r => r.Distance), combined.Rows.Skip(3).Select(r => r.Distance));
        var summary = Assert.Single(combined.Summary);                        // BigGan64 has one run: no summary row
        Assert.Equal("AttributeGan64", summary.Model);
        Assert.Equal(2, summary.Runs);
        Assert.Equal(110.0, summary.Distance.Mean, 12);
        Assert.Equal(System.Math.Sqrt(200.0), summary.Distance.Sd, 12);
        Assert.Equal(joint.Settings, combined.Settings);
    }

    [Fact]
    public void The_same_run_name_from_two_machines_is_told_apart_by_its_parent_folders()
    {
        var first = Table(("AttributeGan64", "/work/first/runs/s0", 100.0), ("AttributeGan64", "/work/first/runs/s1", 110.0));
        var second = Table(("AttributeGan64", "/work/second/runs/s0", 120.0));
        var relative = Table(("AttributeGan64", "runs/s0", 130.0));          // recorded relative to another machine's folder

        var combined = Table1Combination.Combine(new[] { ("a.json", first), ("b.json", second), ("c.json", relative) });

        Assert.Equal(new[] { "AttributeGan64 (first/runs/s0)", "AttributeGan64 (s1)", "AttributeGan64 (second/runs/s0)", "AttributeGan64 (runs/s0)" },
            combined.Rows.Skip(3).Select(r => r.Name));
    }

    [Fact]
    public void A_classifier_trained_again_shows_in_the_real_images_row_and_is_refused()
    {
        var first = Table(("AttributeGan64", "runs/s0", 100.0));
        var second = Table(("AttributeGan64", "runs/s1", 120.0));
        var retrained = new Table1(second.DistanceName, second.Attributes,
            second.Rows.Select((r, i) => i == 0 ? r with { Errors = new[] { 0.012, 0.037 } } : r).ToArray(), second.Settings);

        var e = Assert.Throws<EvaluationException>(() => Table1Combination.Combine(new[] { ("a/table1.json", first), ("b/table1.json", retrained) }));
        Assert.Contains("The 'Real images' row of b/table1.json differs from that of a/table1.json", e.Message);
        Assert.Contains("--classifier", e.Message);
    }

    [Fact]
    public void Without_attributes_evaluations_read_by_different_classifiers_combine_in_the_columns_no_classifier_touches()
    {
        var first = Table(("AttributeGan64", "runs/s0", 100.0), ("AttributeGan64", "runs/s1", 130.0));
        var second = Table(("AttributeGan64", "runs/s2", 121.0));
        var retrained = new Table1(second.DistanceName, second.Attributes,
            second.Rows.Select((r, i) => i == 0 ? r with { Errors = new[] { 0.012, 0.037 } } : r).ToArray(), second.Settings);
        var tables = new[] { ("a.json", first), ("b.json", retrained) };

        var combined = Table1Combination.CombineWithoutAttributes(tables);

        Assert.Equal(new[] { "Real vs real (halves)", "AttributeGan64 (s0)", "AttributeGan64 (s1)", "AttributeGan64 (s2)" }, combined.Rows.Select(r => r.Name));
        Assert.All(combined.Rows, r => Assert.All(r.Errors, e => Assert.True(double.IsNaN(e))));
        Assert.All(combined.Rows, r => Assert.Null(r.Confusions));
        Assert.Equal(new double?[] { 100.0, 130.0, 121.0 }, combined.Rows.Skip(1).Select(r => r.Distance));
        var summary = Assert.Single(combined.Summary);
        Assert.Equal(117.0, summary.Distance.Mean, 12);
        Assert.Equal(0, summary.Errors[0].Count);                              // no error is averaged
        Assert.Equal(Table1Combination.NoClassifier, combined.Settings.Classifier);
        var markdown = Table1Report.ToMarkdown(combined);
        Assert.Contains("| AttributeGan64 (s2) | 121.000 |", markdown);
        Assert.DoesNotContain("What the classifier answered", markdown);
        Assert.DoesNotContain("Real images |", markdown);
        Assert.Throws<EvaluationException>(() => Table1Combination.Combine(tables));   // with the errors, still refused
    }

    [Fact]
    public void Without_attributes_other_data_is_still_refused()
    {
        var first = Table(("AttributeGan64", "runs/s0", 100.0));
        var second = Table(("AttributeGan64", "runs/s1", 120.0));
        var otherData = new Table1(second.DistanceName, second.Attributes,
            second.Rows.Select((r, i) => i == 1 ? r with { Distance = r.Distance * 1.01 } : r).ToArray(), second.Settings);

        var e = Assert.Throws<EvaluationException>(() => Table1Combination.CombineWithoutAttributes(new[] { ("a.json", first), ("b.json", otherData) }));
        Assert.Contains("The 'Real vs real (halves)' row of b.json differs", e.Message);
    }

    [Fact]
    public void Paths_may_differ_when_the_numbers_agree()
    {
        var first = Table(("AttributeGan64", "runs/s0", 100.0));
        var second = Table(("AttributeGan64", "/elsewhere/runs/s1", 120.0));
        var moved = new Table1(second.DistanceName, second.Attributes,
            second.Rows.Select(r => r.Model is null ? r with { Source = r.Source.Replace("data", "/mnt/copy/data") } : r).ToArray(),
            second.Settings with { Data = "/mnt/copy/data", Classifier = "/mnt/copy/classifier.bin (resnet18-imagenet, trained on 64×64)" });

        var combined = Table1Combination.Combine(new[] { ("a.json", first), ("b.json", moved) });
        Assert.Equal(5, combined.Rows.Count);
        Assert.Equal(first.Settings, combined.Settings);
    }

    [Theory]
    [InlineData(1e-9, true)]      // another CPU's last bits in the real images' features
    [InlineData(1e-3, false)]     // other real images
    public void The_real_halves_distance_may_differ_in_its_last_bits_only(double relative, bool combines)
    {
        var first = Table(("AttributeGan64", "runs/s0", 100.0));
        var second = Table(("AttributeGan64", "runs/s1", 120.0));
        var shifted = new Table1(second.DistanceName, second.Attributes,
            second.Rows.Select((r, i) => i == 1 ? r with { Distance = r.Distance * (1 + relative) } : r).ToArray(), second.Settings);

        if (combines) Assert.Equal(5, Table1Combination.Combine(new[] { ("a.json", first), ("b.json", shifted) }).Rows.Count);
        else Assert.Contains("The 'Real vs real (halves)' row of b.json differs",
            Assert.Throws<EvaluationException>(() => Table1Combination.Combine(new[] { ("a.json", first), ("b.json", shifted) })).Message);
    }

    [Fact]
    public void Runs_of_one_model_trained_from_different_specs_are_refused_naming_both_hashes()
    {
        var before = Table(("AttributeGan64", "runs/s0", 100.0));
        var after = Table(("AttributeGan64", "runs/s1", 120.0));
        after = new Table1(after.DistanceName, after.Attributes, after.Rows.Select(r => r.Model is null ? r : r with { SpecHash = "98342db6b1a34007" }).ToArray(), after.Settings);

        var e = Assert.Throws<EvaluationException>(() => Table1Combination.Combine(new[] { ("before.json", before), ("after.json", after) }));
        Assert.StartsWith("AttributeGan64 of after.json (runs/s1) was trained from spec hash 98342db6b1a34007, that of before.json (runs/s0) from 2bebb54fa5268295", e.Message);
        // A table written before hashes were recorded has none to compare: it combines as before.
        var unrecorded = new Table1(after.DistanceName, after.Attributes, after.Rows.Select(r => r with { SpecHash = null }).ToArray(), after.Settings);
        Assert.Equal(5, Table1Combination.Combine(new[] { ("before.json", before), ("old.json", unrecorded) }).Rows.Count);
    }

    [Fact]
    public void A_table_written_before_the_layout_diversity_column_is_refused_asking_for_a_new_evaluation()
    {
        var current = Table(("AttributeGan64", "runs/s0", 100.0));
        var older = Table(("AttributeGan64", "runs/s1", 120.0));
        older = new Table1(older.DistanceName, older.Attributes, older.Rows.Select(r => r with { LayoutDiversity = null }).ToArray(), older.Settings);

        var e = Assert.Throws<EvaluationException>(() => Table1Combination.Combine(new[] { ("new.json", current), ("old.json", older) }));
        Assert.StartsWith("old.json has no layout diversity", e.Message);
        Assert.Contains("evaluate its runs again", e.Message);
        Assert.StartsWith("old.json has no layout diversity",
            Assert.Throws<EvaluationException>(() => Table1Combination.Combine(new[] { ("old.json", older), ("new.json", current) })).Message);
    }

    [Fact]
    public void Other_settings_are_refused_naming_the_setting_and_both_values()
    {
        var first = Table(("AttributeGan64", "runs/s0", 100.0));
        var second = Table(("AttributeGan64", "runs/s1", 120.0));
        var raw = new Table1(second.DistanceName, second.Attributes, second.Rows, second.Settings with { Generator = "raw" });

        var e = Assert.Throws<EvaluationException>(() => Table1Combination.Combine(new[] { ("a.json", first), ("b.json", raw) }));
        Assert.Contains("b.json has the generator 'raw' but a.json has 'EMA'", e.Message);
    }

    [Fact]
    public void A_run_evaluated_twice_is_refused()
    {
        var table = Table(("AttributeGan64", "runs/s0", 100.0));
        var e = Assert.Throws<EvaluationException>(() => Table1Combination.Combine(new[] { ("a.json", table), ("b.json", table) }));
        Assert.Contains("The run runs/s0 (step 300, step-000300.ckpt) is in both a.json and b.json", e.Message);
    }
}
