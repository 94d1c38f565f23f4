using System.CommandLine;
using System.Linq;
using System.Diagnostics;
using AttributeGan.Models;
using AttributeGan.Runtime.Data;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary><c>attributegan synth --out DIR --count N --resolution R [--seed S]</c>: write the built-in synthetic data set.</summary>
internal static class SynthCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var output = new Option<string>("--out", "-o") { Description = "Folder to write images/ and attributes.csv into.", Required = true };
        var count = new Option<int>("--count", "-n") { Description = "Number of images.", DefaultValueFactory = _ => 1000 };
        var resolution = new Option<int>("--resolution") { Description = "Image side in pixels: a power of two from 16 to 512.", DefaultValueFactory = _ => 64 };
        var seed = new Option<int>("--seed") { Description = "Seed: the same seed writes the same files.", DefaultValueFactory = _ => 0 };
        var model = new Option<string>("--model", "-m")
        {
            Description = "Take the attributes (names and levels) from this compiled model.",
            DefaultValueFactory = _ => catalog.Default.Name,
        };
        var command = new Command("synth", "Write the built-in synthetic histopathology data set: PNG tissue patches whose five attributes are known by construction.")
        {
            output, count, resolution, seed, model,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var spec = ModelOption.Resolve(catalog, parse.GetValue(model)!);
            int n = parse.GetValue(count), side = parse.GetValue(resolution);
            if (n < 1) throw new UserError($"--count must be at least 1, got {n}.");
            if (side < SyntheticTissue.MinResolution || side > SyntheticTissue.MaxResolution || (side & (side - 1)) != 0)
                throw new UserError($"--resolution must be a power of two from {SyntheticTissue.MinResolution} to {SyntheticTissue.MaxResolution}, got {side}.");
            var clock = Stopwatch.StartNew();
            var table = SyntheticDataSet.Write(spec.Attributes, parse.GetValue(output)!, n, side, parse.GetValue(seed));
            AnsiConsole.MarkupLine($"Wrote {n:N0} images of {side}×{side} and {Markup.Escape(table)} in {clock.Elapsed.TotalSeconds:F1} s " +
                                   $"(attributes of {spec.Name}: {string.Join(", ", spec.Attributes.Attributes.Select(a => a.Name))}).");
            return 0;
        }));
        return command;
    }
}
