using System.CommandLine;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Sampling;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary><c>attributegan sample --run RUN --vary ATTR --out grid.png</c>: the paper's Fig. 2 from a trained run.</summary>
internal static class SampleCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var run = RunOptions.Run();
        var vary = new Option<string>("--vary") { Description = "The attribute to vary: one row per level.", Required = true };
        var output = new Option<string>("--out", "-o") { Description = "PNG file to write.", Required = true };
        var columns = new Option<int>("--columns") { Description = "Noise vectors (columns).", DefaultValueFactory = _ => 8 };
        var seed = new Option<int>("--seed") { Description = "Seed of the column noise.", DefaultValueFactory = _ => 0 };
        var raw = new Option<bool>("--raw") { Description = "Use the raw generator instead of the EMA generator." };
        var fix = RunOptions.Fix();
        var atStep = RunOptions.AtStep();
        var device = RunOptions.Device();
        var command = new Command("sample", "Sample a grid: one row per level of an attribute, one noise vector per column (paper Fig. 2).")
        {
            run, vary, output, columns, seed, raw, fix, atStep, device,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            using var trained = TrainedRun.Load(parse.GetValue(run)!, catalog, Devices.Resolve(parse.GetValue(device)!), parse.GetValue(atStep));
            var spec = trained.Spec;
            var baseLevels = AttributeGridSampler.BaseLevels(spec, RunOptions.ParseFix(parse.GetValue(fix)), trained.Manifest.FrequentLevels);
            var attribute = parse.GetValue(vary)!;
            using var grid = AttributeGridSampler.Sample(trained.Generator(ema: !parse.GetValue(raw)), spec, attribute, baseLevels, parse.GetValue(columns), parse.GetValue(seed),
                Devices.Resolve(parse.GetValue(device)!));
            using var bitmap = grid.Render($"{spec.Name} step {trained.State.Step}: {attribute}");
            bitmap.SavePng(parse.GetValue(output)!);
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(parse.GetValue(output)!)}: {grid.Rows} levels × {grid.Columns} noise vectors from {Markup.Escape(trained.Checkpoint)}");
            return 0;
        }));
        return command;
    }
}
