using System.CommandLine;
using System.IO;
using AttributeGan.Models;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Sampling;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary><c>attributegan interpolate --run RUN --attribute A --from L1 --to L2 --steps N --out walk.gif</c>.</summary>
internal static class InterpolateCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var run = RunOptions.Run();
        var attribute = new Option<string>("--attribute") { Description = "The attribute to walk along.", Required = true };
        var from = new Option<string>("--from") { Description = "Start level.", Required = true };
        var to = new Option<string>("--to") { Description = "End level.", Required = true };
        var steps = new Option<int>("--steps") { Description = "Frames of the walk, ends included.", DefaultValueFactory = _ => 9 };
        var output = new Option<string>("--out", "-o") { Description = "GIF file to write; a PNG strip is written beside it.", Required = true };
        var columns = new Option<int>("--columns") { Description = "Noise vectors walked side by side.", DefaultValueFactory = _ => 4 };
        var seed = new Option<int>("--seed") { Description = "Seed of the noise.", DefaultValueFactory = _ => 0 };
        var raw = new Option<bool>("--raw") { Description = "Use the raw generator instead of the EMA generator." };
        var fix = RunOptions.Fix();
        var atStep = RunOptions.AtStep();
        var device = RunOptions.Device();
        var command = new Command("interpolate", "Walk smoothly between two levels of an attribute (fractional attribute vectors), as a GIF and a PNG strip.")
        {
            run, attribute, from, to, steps, output, columns, seed, raw, fix, atStep, device,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var target = Devices.Resolve(parse.GetValue(device)!);
            using var trained = TrainedRun.Load(parse.GetValue(run)!, catalog, target, parse.GetValue(atStep));
            var spec = trained.Spec;
            var baseLevels = AttributeGridSampler.BaseLevels(spec, RunOptions.ParseFix(parse.GetValue(fix)), trained.Manifest.FrequentLevels);
            using var walk = Interpolation.Walk(trained.Generator(ema: !parse.GetValue(raw)), spec, parse.GetValue(attribute)!, parse.GetValue(from)!, parse.GetValue(to)!,
                parse.GetValue(steps), baseLevels, parse.GetValue(columns), parse.GetValue(seed), target);
            var gif = parse.GetValue(output)!;
            var strip = Path.ChangeExtension(gif, ".png");
            walk.SaveGif(gif);
            walk.SaveStrip(strip, $"{spec.Name} step {trained.State.Step}: {parse.GetValue(attribute)} {parse.GetValue(from)} → {parse.GetValue(to)}");
            AnsiConsole.MarkupLine($"Wrote {Markup.Escape(gif)} ({walk.Steps} frames) and {Markup.Escape(strip)}");
            return 0;
        }));
        return command;
    }
}
