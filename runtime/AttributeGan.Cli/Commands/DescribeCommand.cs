using System;
using System.CommandLine;
using System.Linq;
using System.Text.Json;
using AttributeGan.Models;
using AttributeGan.Runtime.Inspection;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary><c>attributegan describe --model M [--json]</c>: build the model, run one forward pass, print its layers.</summary>
internal static class DescribeCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var model = ModelOption.Create();
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of a table." };
        var command = new Command("describe", "Build a model's networks, run one forward pass at batch 2 and print the layer table.") { model, json };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var spec = ModelOption.Resolve(catalog, parse.GetValue(model)!);
            var report = ModelInspector.Inspect(spec);
            if (parse.GetValue(json)) Console.WriteLine(ToJson(report));
            else PrintTable(report);
            return report.Mismatches.Any() ? 1 : 0;
        }));
        return command;
    }

    private static void PrintTable(ModelReport report)
    {
        var spec = report.Spec;
        AnsiConsole.MarkupLine($"[bold]{spec.Name}[/] from {Markup.Escape(spec.SourceFile)} (spec hash {spec.SpecHash})");
        AnsiConsole.MarkupLine($"{spec.Resolution}×{spec.Resolution}×{spec.ImageChannels} images, latent {spec.LatentSize}, {spec.Attributes.Count} attributes ({spec.Attributes.Width}-wide one-hot)");
        foreach (var network in new[] { "generator", "discriminator" })
        {
            var table = new Table { Title = new TableTitle(network), Border = TableBorder.Simple };
            table.AddColumns("layer", "block", "output (B=2)", "params", "MACs/image", "vs build");
            foreach (var layer in report.Layers.Where(l => l.Network == network))
            {
                string check = layer.ShapeMatches && layer.ParametersMatch ? "[green]ok[/]" : $"[red]{layer.Inferred.FormatShape()}, {layer.Inferred.Parameters:N0}[/]";
                table.AddRow(layer.Name, layer.Kind, "(" + string.Join(", ", layer.MeasuredShape) + ")", layer.Parameters.ToString("N0"), layer.Inferred.MacsPerImage.ToString("N0"), check);
            }

            AnsiConsole.Write(table);
        }

        AnsiConsole.MarkupLine($"Generator: {report.GeneratorParameters:N0} parameters, {spec.GeneratorMacsPerImage / 1e9:F3} GMAC/image, output ({string.Join(", ", report.GeneratorOutputShape)})");
        AnsiConsole.MarkupLine($"Discriminator: {report.DiscriminatorParameters:N0} parameters, {spec.DiscriminatorMacsPerImage / 1e9:F3} GMAC/image, logits ({string.Join(", ", report.LogitsShape)})");
    }

    private static string ToJson(ModelReport report)
    {
        var spec = report.Spec;
        var document = new
        {
            name = spec.Name,
            sourceFile = spec.SourceFile,
            specHash = spec.SpecHash,
            resolution = spec.Resolution,
            imageChannels = spec.ImageChannels,
            latent = spec.LatentSize,
            attributes = spec.Attributes.Attributes.ToDictionary(a => a.Name, a => a.Levels),
            generatorParameters = report.GeneratorParameters,
            discriminatorParameters = report.DiscriminatorParameters,
            generatorMacsPerImage = spec.GeneratorMacsPerImage,
            discriminatorMacsPerImage = spec.DiscriminatorMacsPerImage,
            generatorOutputShape = report.GeneratorOutputShape,
            logitsShape = report.LogitsShape,
            layers = report.Layers.Select(l => new
            {
                network = l.Network,
                name = l.Name,
                block = l.Kind,
                outputShape = l.MeasuredShape,
                parameters = l.Parameters,
                macsPerImage = l.Inferred.MacsPerImage,
                matchesBuild = l.ShapeMatches && l.ParametersMatch,
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true });
    }
}
