using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.Json;
using AttributeGan.Models;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Numerics;
using Spectre.Console;
using TorchSharp;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// <c>attributegan doctor [--model M ...] [--numerics-fallback] [--json]</c>: what this machine computes with (CPU,
/// libraries, the instruction set and kernels oneDNN picked), whether libtorch's known defects are present here, and
/// the numerics check of each model. Exit code 0 when every model passes, 4 otherwise.
/// </summary>
internal static class DoctorCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var model = ModelOption.CreateRepeatable("check");
        var fallback = new Option<bool>("--numerics-fallback") { Description = "Check with libtorch's oneDNN kernels off, as 'train --numerics-fallback' would train." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of tables." };
        var child = new Option<bool>(OneDnnVerboseProbe.ChildOption) { Hidden = true };

        var command = new Command("doctor", "Check that this machine computes right: libraries, kernels, known backend defects and every block of the models against float64.")
        {
            model, fallback, json, child,
        };
        command.SetAction(parse =>
        {
            if (parse.GetValue(child))
            {
                KnownDefects.Probe(repeats: 1);                 // the parent reads oneDNN's report of these operations
                return 0;
            }
            return CommandRunner.Run(() => Diagnose(catalog, parse.GetValue(model) ?? Array.Empty<string>(), parse.GetValue(fallback), parse.GetValue(json)));
        });
        return command;
    }

    private static int Diagnose(SpecCatalog catalog, string[] names, bool fallback, bool asJson)
    {
        var specs = ModelOption.ResolveOrSmall(catalog, names);
        void Progress(string step)
        {
            if (!asJson) AnsiConsole.MarkupLine("[grey]" + Markup.Escape(step) + "…[/]");
        }

        Progress("asking oneDNN which kernels it picks (a child process with ONEDNN_VERBOSE=1)");
        var dispatch = OneDnnVerboseProbe.Run(TimeSpan.FromMinutes(2));
        if (fallback) LibTorchNative.SetOneDnnEnabled(false);
        var backend = BackendInfo.Capture();

        Progress("reproducing libtorch's known defects with plain operations");
        int threads = torch.get_num_threads();
        var defects = new List<(int Threads, IReadOnlyList<DefectProbe> Probes)>();
        foreach (var count in new[] { 1, threads }.Distinct())
        {
            torch.set_num_threads(count);
            defects.Add((count, KnownDefects.Probe()));
        }
        torch.set_num_threads(threads);

        var reports = new List<NumericsReport>();
        foreach (var spec in specs)
        {
            Progress($"numerics check of {spec.Name}");
            reports.Add(NumericsCheck.Run(spec, torch.CPU));
        }

        if (asJson) Console.WriteLine(ToJson(backend, dispatch, defects, reports));
        else Print(backend, dispatch, defects, reports);
        return reports.All(r => r.Passed) ? 0 : 4;
    }

    private static void Print(BackendInfo backend, OneDnnDispatch? dispatch, List<(int Threads, IReadOnlyList<DefectProbe> Probes)> defects, List<NumericsReport> reports)
    {
        var machine = new Table().AddColumns("", "").HideHeaders().Border(TableBorder.Simple);
        void Row(string name, string value) => machine.AddRow(Markup.Escape(name), Markup.Escape(value));
        Row("CPU", backend.Cpu);
        Row("vector extensions", backend.VectorExtensions);
        Row("caches", backend.CacheSizes);
        Row("cores, libtorch threads", $"{backend.LogicalCores}, {backend.Threads} (OMP_WAIT_POLICY={backend.OpenMpWaitPolicy})");
        Row("OS, .NET", $"{backend.Os}, {backend.DotNet}");
        Row("TorchSharp, libtorch", $"{backend.TorchSharp}, {backend.LibTorch}");
        Row("oneDNN", backend.OneDnn);
        Row("oneDNN kernels", backend.OneDnnEnabled switch { true => "on", false => "off (--numerics-fallback)", null => "unknown (switch not reachable)" });
        Row("oneDNN instruction set", (dispatch?.Isa ?? "not reported") + (backend.OneDnnMaxIsa is { } cap ? $" (ONEDNN_MAX_CPU_ISA={cap})" : ""));
        Row("ATen CPU capability", backend.AtenCpuCapability);
        foreach (var convolution in dispatch?.Convolutions ?? Array.Empty<string>()) Row("oneDNN convolution", convolution);
        AnsiConsole.Write(machine);

        var probes = new Table().Border(TableBorder.Simple).AddColumn("known libtorch defect (plain operations vs float64)");
        foreach (var (threads, _) in defects) probes.AddColumn($"{threads} thread(s)", c => c.RightAligned());
        probes.AddColumn("the blocks instead use");
        for (int i = 0; i < defects[0].Probes.Count; i++)
        {
            var cells = new List<string> { Markup.Escape(defects[0].Probes[i].Name) };
            cells.AddRange(defects.Select(d => d.Probes[i].Present
                ? $"[yellow]wrong ({NumericsReport.Format(d.Probes[i].RelativeError)})[/]"
                : $"right ({NumericsReport.Format(d.Probes[i].RelativeError)})"));
            cells.Add(Markup.Escape(defects[0].Probes[i].Workaround));
            probes.AddRow(cells.ToArray());
        }
        AnsiConsole.Write(probes);

        var checks = new Table().Border(TableBorder.Simple)
            .AddColumns("model", "blocks", "result", "largest relative error", "in", "batch", "seconds");
        foreach (var report in reports)
        {
            var worst = report.Worst;
            checks.AddRow(Markup.Escape(report.Model), report.Blocks.Count.ToString(), report.Passed ? "[green]passed[/]" : "[red]FAILED[/]",
                NumericsReport.Format(worst.Worst.RelativeError),
                Markup.Escape($"{worst.Network} {worst.Block}: {worst.Worst.Quantity}" + (worst.Redrawn ? " (second draw)" : "")),
                report.Batch.ToString(), report.Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(checks);
        foreach (var failed in reports.Where(r => !r.Passed)) AnsiConsole.MarkupLine("[red]" + Markup.Escape(failed.Summary()) + "[/]");

        AnsiConsole.MarkupLine(reports.All(r => r.Passed)
            ? $"[green]Every block of {reports.Count} model(s) matches its float64 reference (tolerance {NumericsReport.Format(Float64Reference.Tolerance)}).[/]"
            : "[red]This machine computes some blocks wrongly.[/] " + Markup.Escape(
                backend.OneDnnEnabled == true
                    ? "Try 'attributegan doctor --numerics-fallback' (oneDNN off); train with --numerics-fallback if it passes. Report this output with the libtorch version."
                    : "Report this output with the libtorch version."));
    }

    private static string ToJson(BackendInfo backend, OneDnnDispatch? dispatch, List<(int Threads, IReadOnlyList<DefectProbe> Probes)> defects, List<NumericsReport> reports)
    {
        var document = new
        {
            backend,
            oneDnnDispatch = dispatch,
            knownDefects = defects.Select(d => new { threads = d.Threads, probes = d.Probes.Select(p => new { p.Name, p.Workaround, RelativeError = Finite(p.RelativeError), p.Present }) }),
            models = reports.Select(r => new
            {
                model = r.Model, passed = r.Passed, batch = r.Batch, threads = r.Threads, seconds = r.Elapsed.TotalSeconds, tolerance = r.Tolerance,
                blocks = r.Blocks.Select(b => new
                {
                    network = b.Network, block = b.Block, kind = b.Kind, passed = b.Passed, redrawn = b.Redrawn, seconds = b.Elapsed.TotalSeconds,
                    worst = b.Worst.Quantity, largestRelativeError = Finite(b.Worst.RelativeError),
                }),
            }),
            passed = reports.All(r => r.Passed),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase });
    }

    /// <summary>JSON has no NaN: a non-finite error is written as null.</summary>
    private static double? Finite(double value) => double.IsFinite(value) ? value : null;
}
