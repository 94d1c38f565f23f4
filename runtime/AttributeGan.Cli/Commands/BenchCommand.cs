using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using AttributeGan.Benchmarks;
using AttributeGan.Models;
using AttributeGan.Runtime.Numerics;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// <c>attributegan bench [--model M ...] [--batch B] [--steps N] [--json] [--markdown FILE]</c>: training and sampling
/// throughput, the matmul rate and model FLOP utilisation, efficient vs dot-product attention, the data pipeline and the
/// source generator, in one run.
/// </summary>
internal static class BenchCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var model = ModelOption.CreateRepeatable("benchmark");
        var batch = new Option<int?>("--batch") { Description = "Batch size (default: each spec's training.batch)." };
        var steps = new Option<int>("--steps") { Description = "Timed steps per measurement; the median is reported.", DefaultValueFactory = _ => 10 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first (JIT, kernel generation, allocator).", DefaultValueFactory = _ => 3 };
        var threads = new Option<int?>("--threads") { Description = "libtorch intra-op threads (default: libtorch's, one per core)." };
        var profile = new Option<bool>("--profile") { Description = "Also time every layer of the training step on its own." };
        var skip = new Option<string[]>("--skip") { Description = "Sections to leave out: attention, data, generator, frechet." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var markdown = new Option<string?>("--markdown") { Description = "Also write the tables as Markdown to this file." };
        var noOneDnn = new Option<bool>("--numerics-fallback") { Description = "Run with libtorch's oneDNN kernels off, as 'train --numerics-fallback' trains when the numerics check fails." };

        var command = new Command("bench", "Measure training and sampling throughput, FLOP utilisation, attention, data pipeline and generator time and the cost of the Fréchet distance.")
        {
            model, batch, steps, warmup, threads, profile, skip, json, markdown, noOneDnn,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var skipped = parse.GetValue(skip) ?? Array.Empty<string>();
            var unknown = skipped.Except(new[] { "attention", "data", "generator", "frechet" }).ToList();
            if (unknown.Count > 0) throw new UserError($"--skip takes attention, data, generator or frechet; got {string.Join(", ", unknown)}.");
            if (parse.GetValue(steps) < 1) throw new UserError("--steps must be at least 1.");
            if (parse.GetValue(warmup) < 0) throw new UserError("--warmup must not be negative.");
            if (parse.GetValue(batch) is < 2) throw new UserError("--batch must be at least 2 (batch norm needs two images).");
            if (parse.GetValue(threads) is < 1) throw new UserError("--threads must be at least 1.");
            var names = parse.GetValue(model) ?? Array.Empty<string>();
            foreach (var name in names) ModelOption.Resolve(catalog, name);

            var options = new BenchOptions
            {
                Models = names,
                Batch = parse.GetValue(batch),
                Steps = parse.GetValue(steps),
                Warmup = parse.GetValue(warmup),
                Threads = parse.GetValue(threads),
                Profile = parse.GetValue(profile),
                Attention = !skipped.Contains("attention"),
                Data = !skipped.Contains("data"),
                Generator = !skipped.Contains("generator"),
                Frechet = !skipped.Contains("frechet"),
            };
            if (parse.GetValue(noOneDnn)) LibTorchNative.SetOneDnnEnabled(false);
            bool asJson = parse.GetValue(json);
            var report = BenchSuite.Run(options, catalog, asJson ? null : step => AnsiConsole.MarkupLine("[grey]" + Markup.Escape(step) + "…[/]"));
            var text = BenchMarkdown.Render(report);
            if (parse.GetValue(markdown) is { } path)
            {
                var folder = Path.GetDirectoryName(Path.GetFullPath(path));
                if (folder is not null) Directory.CreateDirectory(folder);
                File.WriteAllText(path, text);
            }
            Console.WriteLine(asJson ? BenchMarkdown.Json(report) : text);
            return 0;
        }));
        return command;
    }
}
