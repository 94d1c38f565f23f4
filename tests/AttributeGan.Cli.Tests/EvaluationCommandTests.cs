using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Training;
using Xunit;

namespace AttributeGan.Cli.Tests;

/// <summary>'classifier train' and 'evaluate' through the real executable, on the Tiny spec's synthetic data.</summary>
public sealed class EvaluationCommandTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(4);
    private readonly string root = Path.Combine(Path.GetTempPath(), "attributegan-cli-eval-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static (int Code, string Output) Run(params string[] arguments) => Cli.Run(Limit, arguments);

    [Fact]
    public void Classifier_training_and_evaluation_write_table_1_for_two_runs()
    {
        string data = Path.Combine(root, "data"), runA = Path.Combine(root, "run-a"), runB = Path.Combine(root, "run-b");
        string classifier = Path.Combine(root, "classifier.bin"), table = Path.Combine(root, "table");
        Assert.Equal(0, Run("synth", "--out", data, "--count", "48", "--resolution", "16", "--model", "Tiny", "--seed", "3").Code);
        foreach (var (run, steps) in new[] { (runA, "4"), (runB, "2") })
        {
            var (trained, log) = Run("train", "--model", "Tiny", "--data", data, "--out", run, "--steps", steps, "--sample-every", "0");
            Assert.True(trained == 0, log);
        }

        // No --model: the attributes (cell_crowding, mitosis) and the 16×16 images pick the Tiny spec.
        var (fitted, fitLog) = Run("classifier", "train", "--data", data, "--out", classifier, "--epochs", "1", "--batch", "16", "--holdout", "0.25");
        Assert.True(fitted == 0, fitLog);
        Assert.Contains("from Tiny", fitLog);
        Assert.Contains("held-out accuracy", fitLog);
        Assert.Contains("cell_crowding", fitLog);
        Assert.True(File.Exists(classifier));

        string[] evaluate = { "evaluate", "--run", runA, "--run", runB, "--data", data, "--classifier", classifier, "--samples", "6", "--out", table, "--seed", "4", "--batch", "4" };
        var (evaluated, evaluateLog) = Run(evaluate);
        Assert.True(evaluated == 0, evaluateLog);
        Assert.Contains("table1.md", evaluateLog);
        Assert.DoesNotContain("\u001b[", evaluateLog);           // piped: plain progress lines, no terminal control codes
        Assert.DoesNotContain("NaN", evaluateLog);               // the printed table shows what a row does not measure as "—"

        var markdown = File.ReadAllLines(Path.Combine(table, "table1.md"));
        Assert.StartsWith("| | FD-ResNet18 ↓ | diversity ↑ | layout diversity ↑ | cell_crowding ↓ | mitosis ↓ |", markdown[0]);
        Assert.StartsWith("| Real images | — | — |", markdown[2]);
        Assert.StartsWith("| Real vs real (halves) | ", markdown[3]);
        Assert.StartsWith("| Best constant answer | — | — |", markdown[4]);
        Assert.StartsWith("| Tiny (run-a) | ", markdown[5]);
        Assert.StartsWith("| Tiny (run-b) | ", markdown[6]);
        Assert.DoesNotContain("FID", markdown[0]);
        // After the tables, what the classifier answered: per attribute, the real images' and each model's shares.
        int answers = Array.FindIndex(markdown, l => l.StartsWith("What the classifier answered:", StringComparison.Ordinal));
        Assert.True(answers > 6, "the classifier's answers follow Table 1");
        Assert.Equal("| | requested | images | normal | mild | severe |", markdown[Array.IndexOf(markdown, "cell_crowding:", answers) + 2]);
        Assert.Contains(markdown[answers..], l => l.StartsWith("| Tiny (2 runs) | normal |", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(table, "table1.json")));
        var rows = json.RootElement.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(5, rows.Length);
        Assert.All(rows.Skip(3).Prepend(rows[1]), row => Assert.True(row.GetProperty("distance").GetDouble() > 0));
        Assert.Equal(JsonValueKind.Null, rows[2].GetProperty("distance").ValueKind);
        Assert.Equal("FD-ResNet18", json.RootElement.GetProperty("distance").GetString());
        // Each run's 6 images counted once per attribute in its confusion matrices (rows requested, columns predicted).
        Assert.All(rows.Skip(3), row => Assert.Equal(6, row.GetProperty("confusion").GetProperty("mitosis").GetProperty("counts")
            .EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt64())));
        Assert.Equal(JsonValueKind.Null, rows[1].GetProperty("confusion").ValueKind);
        Assert.True(new FileInfo(Path.Combine(table, "table1.png")).Length > 10_000);
        Assert.Equal(6, File.ReadAllLines(Path.Combine(table, "table1.csv")).Length);

        // Each run evaluated on its own (as it finished), then combined: the very files one evaluation of both writes.
        string tableA = Path.Combine(root, "table-a"), tableB = Path.Combine(root, "table-b"), combined = Path.Combine(root, "combined");
        foreach (var (run, output) in new[] { (runA, tableA), (runB, tableB) })
        {
            var (alone, aloneLog) = Run("evaluate", "--run", run, "--data", data, "--classifier", classifier, "--samples", "6", "--out", output, "--seed", "4", "--batch", "4");
            Assert.True(alone == 0, aloneLog);
        }
        Assert.StartsWith("| Tiny | ", File.ReadAllLines(Path.Combine(tableA, "table1.md"))[5]);
        var (joined, joinedLog) = Run("evaluate", "combine", Path.Combine(tableA, "table1.json"), tableB, "--out", combined);
        Assert.True(joined == 0, joinedLog);
        foreach (var file in new[] { "table1.json", "table1.md", "table1.csv" })
            Assert.Equal(File.ReadAllText(Path.Combine(table, file)), File.ReadAllText(Path.Combine(combined, file)));
        // Evaluated with another seed, the requests differ: the best-constant row tells, and the combination is refused.
        string otherSeed = Path.Combine(root, "table-seed-5");
        Assert.Equal(0, Run("evaluate", "--run", runB, "--data", data, "--classifier", classifier, "--samples", "6", "--out", otherSeed, "--seed", "5", "--batch", "4").Code);
        var (mixed, mixedLog) = Run("evaluate", "combine", tableA, otherSeed, "--out", combined);
        Assert.Equal(2, mixed);
        Assert.Contains("has the seed 5 but", mixedLog);
        Assert.DoesNotContain("   at ", mixedLog);

        // A run whose spec has other attributes is refused, naming both layouts.
        string other = Path.Combine(root, "other");
        Directory.CreateDirectory(other);
        RunManifest.For(AttributeGan64Spec.Instance, TrainOptions.FromSpec(AttributeGan64Spec.Instance), new[] { 0, 0, 0, 0, 0 }).Write(Path.Combine(other, "run.json"));
        var (refused, refusedLog) = Run("evaluate", "--run", runA, "--run", other, "--data", data, "--classifier", classifier, "--samples", "4", "--out", table);
        Assert.Equal(2, refused);
        Assert.Contains("cell_crowding [normal, mild, severe], mitosis [rare, frequent]", refusedLog);
        Assert.Contains("pleomorphism", refusedLog);
        Assert.DoesNotContain("   at ", refusedLog);

        // A missing run and missing data, with a good classifier, each name what is missing.
        var (noRun, noRunLog) = Run("evaluate", "--run", Path.Combine(root, "nope"), "--data", data, "--classifier", classifier, "--samples", "4", "--out", table);
        Assert.Equal(2, noRun);
        Assert.Contains("is not a run directory", noRunLog);
        var (noData, noDataLog) = Run("evaluate", "--run", runA, "--data", Path.Combine(root, "nope"), "--classifier", classifier, "--samples", "4", "--out", table);
        Assert.Equal(2, noData);
        Assert.Contains("attributes.csv", noDataLog);
    }

    [Fact]
    public void Missing_inputs_and_too_few_samples_are_one_line_errors()
    {
        string nowhere = Path.Combine(root, "nowhere");

        var (few, fewLog) = Run("evaluate", "--run", nowhere, "--data", nowhere, "--classifier", nowhere, "--samples", "1", "--out", root);
        Assert.Equal(2, few);
        Assert.Contains("--samples must be at least 2", fewLog);

        var (noClassifier, noClassifierLog) = Run("evaluate", "--run", nowhere, "--data", nowhere, "--classifier", Path.Combine(nowhere, "c.bin"), "--samples", "8", "--out", root);
        Assert.Equal(2, noClassifier);
        Assert.Contains("Cannot open the classifier file", noClassifierLog);
        Assert.Contains("classifier train", noClassifierLog);

        var (noData, noDataLog) = Run("classifier", "train", "--data", nowhere, "--out", Path.Combine(root, "c.bin"));
        Assert.Equal(2, noData);
        Assert.Contains("attributes.csv", noDataLog);

        var (badEpochs, badEpochsLog) = Run("classifier", "train", "--data", nowhere, "--out", Path.Combine(root, "c.bin"), "--epochs", "0");
        Assert.Equal(2, badEpochs);
        Assert.Contains("--epochs must be at least 1, got 0.", badEpochsLog);
        Assert.DoesNotContain("ClassifierTrainOptions.", badEpochsLog);
        foreach (var log in new[] { fewLog, noClassifierLog, noDataLog, badEpochsLog }) Assert.DoesNotContain("   at ", log);
    }
}
