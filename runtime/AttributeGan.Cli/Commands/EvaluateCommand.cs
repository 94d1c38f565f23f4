using System.CommandLine;
using System.IO;
using System.Linq;
using AttributeGan.Evaluation;
using AttributeGan.Evaluation.Classifier;
using AttributeGan.Evaluation.Reporting;
using AttributeGan.Models;
using AttributeGan.Runtime;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// <c>attributegan evaluate --run RUN [--run RUN2 ...] --data DIR --classifier FILE --samples N --out DIR</c>: the
/// paper's Table 1 for trained runs, written as table1.md, table1.csv, table1.json and table1.png.
/// </summary>
internal static class EvaluateCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var runs = new Option<string[]>("--run", "-r")
        {
            Description = "Run directory of 'attributegan train'; repeat (or list several) for one row per run.",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var data = new Option<string>("--data") { Description = "Real image folder with attributes.csv (the data the runs were trained on).", Required = true };
        var classifier = new Option<string>("--classifier") { Description = "Attribute classifier file of 'attributegan classifier train'.", Required = true };
        var samples = new Option<int>("--samples", "-n") { Description = "Images generated per run.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "Folder for table1.md, table1.csv, table1.json and table1.png.", Required = true };
        var seed = new Option<int>("--seed") { Description = "Seed of the noise and of the attribute combinations requested (the same for every run).", DefaultValueFactory = _ => 0 };
        var raw = new Option<bool>("--raw-generator") { Description = "Use the raw generator instead of the EMA generator." };
        var inception = new Option<string?>("--inception-weights")
        {
            Description = "The standard FID Inception-V3 weights file: the distance is then FID. Without it, the Fréchet distance of ImageNet ResNet-18 features (FD-ResNet18).",
        };
        var batch = new Option<int>("--batch") { Description = "Images per forward pass.", DefaultValueFactory = _ => 32 };
        var atStep = RunOptions.AtStep();
        var device = RunOptions.Device();
        var command = new Command("evaluate", "The paper's Table 1 for trained runs: Fréchet distance to the real images and attribute error per attribute.")
        {
            runs, data, classifier, samples, output, seed, raw, inception, batch, atStep, device,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            int n = parse.GetValue(samples);
            if (n < 2) throw new UserError($"--samples must be at least 2 (a Fréchet distance needs a covariance), got {n}.");
            if (parse.GetValue(batch) < 1) throw new UserError($"--batch must be at least 1, got {parse.GetValue(batch)}.");
            var torchDevice = Devices.Resolve(parse.GetValue(device)!);
            string classifierFile = parse.GetValue(classifier)!;
            // Everything that needs no network first: a wrong run, data or classifier is reported before minutes of loading.
            Table1Evaluator.Check(parse.GetValue(runs)!, catalog, parse.GetValue(data)!, AttributeClassifier.ReadMetadata(classifierFile), n, parse.GetValue(atStep));
            using var attributes = AttributeClassifier.Load(classifierFile, torchDevice);
            using var features = FeatureExtractors.Create(parse.GetValue(inception));
            var options = new EvaluationOptions(n, parse.GetValue(seed), Ema: !parse.GetValue(raw), Batch: parse.GetValue(batch), Step: parse.GetValue(atStep));

            var progress = new StageProgress();
            var table = progress.Run(p => Table1Evaluator.Evaluate(parse.GetValue(runs)!, catalog, parse.GetValue(data)!, attributes, classifierFile, features, options, torchDevice,
                step => p.Report(step.Stage, step.Done, step.Total), StageProgress.Message));
            WriteAndShow(table, parse.GetValue(output)!);
            return 0;
        }));
        command.Subcommands.Add(Combine());
        return command;
    }

    /// <summary>
    /// <c>attributegan evaluate combine TABLE1.JSON... --out DIR</c>: one Table 1 from evaluations made separately (as
    /// runs finished, on other machines), with the per-model mean ± sd over all their runs; no image is generated.
    /// </summary>
    private static Command Combine()
    {
        var tables = new Argument<string[]>("tables")
        {
            Description = "table1.json files (or the --out folders) of 'attributegan evaluate', evaluated with the same data, classifier, samples and seed.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--out", "-o") { Description = "Folder for the combined table1.md, table1.csv, table1.json and table1.png.", Required = true };
        var withoutAttributes = new Option<bool>("--without-attributes")
        {
            Description = "Leave the attribute errors out and combine the distance and diversity columns only: evaluations read by different classifiers " +
                          "(one trained again on another CPU) then combine, if their data, samples, seed and feature network agree.",
        };
        var command = new Command("combine", "One Table 1 from evaluations made separately (runs evaluated as they finished, or on other machines).") { tables, output, withoutAttributes };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var read = parse.GetValue(tables)!.Select(path => (Origin: path, Table: Table1Json.ReadFile(path))).ToArray();
            var combined = parse.GetValue(withoutAttributes) ? Table1Combination.CombineWithoutAttributes(read) : Table1Combination.Combine(read);
            WriteAndShow(combined, parse.GetValue(output)!);
            return 0;
        }));
        return command;
    }

    private static void WriteAndShow(Table1 table, string output)
    {
        var files = Table1Report.WriteAll(table, output);
        // table1.md's columns and cells: "—" where a row measures nothing (the real halves' attribute errors, the real
        // images' distance and diversities), never "NaN".
        var shown = new Table().AddColumn("").AddColumn(Markup.Escape(table.DistanceName + " ↓")).AddColumn("diversity ↑").AddColumn("layout diversity ↑");
        foreach (var attribute in table.Attributes) shown.AddColumn(Markup.Escape(attribute + " ↓"));
        foreach (var row in table.Rows)
            shown.AddRow(new[] { Markup.Escape(row.Name), Table1Report.Shown(row.Distance), Table1Report.Shown(row.Diversity), Table1Report.Shown(row.LayoutDiversity) }
                .Concat(row.Errors.Select(e => Table1Report.Shown(e))).ToArray());
        AnsiConsole.Write(shown);
        // An attribute error near the best constant answer's can mean a generator without control or a classifier that
        // cannot read its images; a single answer for nearly every image tells which to look at (table1.md has the shares).
        foreach (var collapse in ClassifierAnswers.Collapses(table))
            AnsiConsole.MarkupLine("[yellow]" + Markup.Escape($"One answer: {collapse}.") + "[/]");
        AnsiConsole.MarkupLine(Markup.Escape($"Wrote {string.Join(", ", files.Select(Path.GetFileName))} to {Path.GetFullPath(output)}."));
    }
}
