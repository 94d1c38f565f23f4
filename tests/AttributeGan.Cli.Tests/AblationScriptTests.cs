using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Xunit;
using Xunit.Abstractions;

namespace AttributeGan.Cli.Tests;

/// <summary>
/// scripts/ablation-64.sh end to end at a budget of seconds: the table a sitting writes, and a later sitting that
/// finishes it from the evaluations kept (EVALUATIONS_FROM), reusing only those of the same budget and spec. The first
/// sitting trains in two lanes (LANES=2), the second in one, so both ways of training are held to the same table.
/// </summary>
public sealed class AblationScriptTests(ITestOutputHelper log) : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(15);
    private static readonly string[] Models = { "AttributeGan64", "AttributeGan64NoAttention", "AttributeGan64NoContrastive", "BigGan64" };
    private const string Marker = "<!-- reading -->";
    private readonly string root = Directory.CreateTempSubdirectory("attributegan-ablation-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public void A_later_sitting_reuses_kept_evaluations_of_the_same_budget_and_spec_and_trains_the_others()
    {
        var results = Path.Combine(root, "results", "ablation-64.md");
        var kept = Path.Combine(root, "results", "ablation-64-runs");

        var (first, firstLog) = RunScript(Path.Combine(root, "first"), results, evaluationsFrom: null, lanes: "2");
        Assert.True(first == 0, firstLog);
        var table = File.ReadAllLines(results);
        // Both lanes took runs: the second claims the second run while the first still trains the first.
        Assert.Contains("(lane 1;", firstLog);
        Assert.Contains("(lane 2;", firstLog);
        foreach (var model in Models)
        {
            // Two lanes: each run's output goes to its own log, and the lanes together train every run once.
            var runLog = Path.Combine(root, "first", "runs", $"{model}-s0.log");
            Assert.Contains($"== trained and evaluated {model}-s0 (lane ", firstLog);
            Assert.Single(firstLog.Split('\n'), line => line.StartsWith($"== train {model}, seed 0", StringComparison.Ordinal));
            Assert.Contains("Wrote table1.md", File.ReadAllText(runLog));
            Assert.Contains(table, line => line.StartsWith($"| {model} | ", StringComparison.Ordinal));
            Assert.True(File.Exists(Path.Combine(kept, $"{model}-s0.json")), $"{model}-s0.json not kept");
            Assert.True(File.Exists(Path.Combine(kept, $"{model}-s0.seconds")), $"{model}-s0.seconds not kept");
            // Each run's attribute grid, named like its evaluation, beside the table that shows it.
            Assert.True(File.Exists(Path.Combine(root, "results", $"ablation-64-{model}-s0.png")), $"ablation-64-{model}-s0.png not written");
            Assert.Contains($"![{model} seed 0](ablation-64-{model}-s0.png)", table);
        }
        File.AppendAllText(results, $"{Marker}\nThe hand-written reading.\n");

        // The next sitting's folder of evaluations: two as kept, one from another recipe of its model (its spec hash
        // differs from the model's now) and one of another budget.
        var carried = Path.Combine(root, "carried");
        Directory.CreateDirectory(carried);
        foreach (var file in Directory.GetFiles(kept)) File.Copy(file, Path.Combine(carried, Path.GetFileName(file)));
        Rewrite(Path.Combine(carried, "AttributeGan64NoContrastive-s0.json"), "\"specHash\": \"", "\"specHash\": \"00000000");
        Rewrite(Path.Combine(carried, "BigGan64-s0.json"), "\"step\": 2,", "\"step\": 3,");

        // A reused run has no run folder in the next sitting: its grid is the one beside the table, or none.
        File.Delete(Path.Combine(root, "results", "ablation-64-AttributeGan64NoAttention-s0.png"));

        var (second, secondLog) = RunScript(Path.Combine(root, "second"), results, evaluationsFrom: carried);
        Assert.True(second == 0, secondLog);
        Assert.Contains("reusing the evaluation of AttributeGan64-s0 from", secondLog);
        Assert.Contains("reusing the evaluation of AttributeGan64NoAttention-s0 from", secondLog);
        Assert.Contains("AttributeGan64NoContrastive-s0.json: not trained from AttributeGan64NoContrastive's spec as it is now", secondLog);
        Assert.Contains("BigGan64-s0.json: it is not an evaluation at 2 steps", secondLog);
        Assert.DoesNotContain("== train AttributeGan64, seed 0", secondLog);
        Assert.DoesNotContain("== train AttributeGan64NoAttention, seed 0", secondLog);
        Assert.Contains("== train AttributeGan64NoContrastive, seed 0", secondLog);
        Assert.Contains("== train BigGan64, seed 0", secondLog);

        var rewritten = File.ReadAllLines(results);
        foreach (var model in new[] { "AttributeGan64", "AttributeGan64NoAttention" })
        {
            // A reused evaluation's numbers are the first sitting's, to the last printed digit (its first row is Table 1's).
            var row = table.First(line => line.StartsWith($"| {model} | ", StringComparison.Ordinal));
            Assert.Contains(row, rewritten);
        }
        Assert.Contains("![AttributeGan64 seed 0](ablation-64-AttributeGan64-s0.png)", rewritten);
        Assert.Contains(rewritten, line => line.StartsWith("AttributeGan64NoAttention seed 0: no grid", StringComparison.Ordinal));
        Assert.Contains("![BigGan64 seed 0](ablation-64-BigGan64-s0.png)", rewritten);
        Assert.Equal(new[] { Marker, "The hand-written reading." }, rewritten.SkipWhile(line => line != Marker).ToArray());
        // The kept folder now holds the retrained run's evaluation, not the refused one.
        Assert.DoesNotContain("\"specHash\": \"00000000", File.ReadAllText(Path.Combine(kept, "AttributeGan64NoContrastive-s0.json")));
    }

    [Fact]
    public void A_missing_executable_is_named_before_any_work()
    {
        var missing = Path.Combine(root, "nowhere", "attributegan.dll");
        var (code, output) = RunScript(Path.Combine(root, "work"), Path.Combine(root, "results.md"), evaluationsFrom: null, executable: missing);
        Assert.Equal(2, code);
        Assert.Contains($"ATTRIBUTEGAN={missing}: no such file", output);
        Assert.False(Directory.Exists(Path.Combine(root, "work")));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    public void A_lane_count_that_is_not_a_whole_number_of_one_or_more_is_named_before_any_work(string lanes)
    {
        var (code, output) = RunScript(Path.Combine(root, "work"), Path.Combine(root, "results.md"), evaluationsFrom: null, lanes: lanes);
        Assert.Equal(2, code);
        Assert.Contains($"LANES={lanes}: expected the number of runs to train at once", output);
        Assert.False(Directory.Exists(Path.Combine(root, "work")));
    }

    private (int Code, string Output) RunScript(string work, string results, string? evaluationsFrom, string? executable = null, string lanes = "1")
    {
        var start = new ProcessStartInfo("bash");
        start.ArgumentList.Add(Path.Combine(RepositoryRoot(), "scripts", "ablation-64.sh"));
        // Seconds per run: two steps of every model on 32 images, 4 generated images each, one classifier epoch.
        start.Environment["STEPS"] = "2";
        start.Environment["COUNT"] = "32";
        start.Environment["SAMPLES"] = "4";
        start.Environment["EPOCHS"] = "1";
        start.Environment["SEEDS"] = "0";
        start.Environment["WORK"] = work;
        start.Environment["RESULTS"] = results;
        start.Environment["EVALUATIONS_FROM"] = evaluationsFrom ?? "";
        start.Environment["LANES"] = lanes;
        start.Environment["ATTRIBUTEGAN"] = executable ?? Cli.Executable;   // the build under test, not a second build of the repository

        var (code, output) = Cli.RunProgram(start, Bound);
        log.WriteLine(output);
        return (code, output);
    }

    private static void Rewrite(string path, string from, string to)
    {
        var text = File.ReadAllText(path);
        Assert.Contains(from, text);
        File.WriteAllText(path, text.Replace(from, to));
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AttributeGan.sln"))) return directory.FullName;
        throw new InvalidOperationException($"no AttributeGan.sln above {AppContext.BaseDirectory}");
    }
}
