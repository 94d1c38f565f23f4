using System;
using System.Diagnostics;
using System.Globalization;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Training;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// Renders training as a live line: step, ETA, losses and images/s. Spectre's live display runs only on an
/// interactive terminal; piped output (logs, CI) gets one plain line every few seconds instead.
/// </summary>
internal sealed class ProgressObserver : ITrainingObserver, IDisposable
{
    private readonly Stopwatch sinceStart = new();
    private readonly Stopwatch sinceLine = new();
    private long firstStep;
    private double smoothedImagesPerSecond;

    public void Started(TrainingStart start)
    {
        firstStep = start.FirstStep;
        sinceStart.Restart();
        sinceLine.Restart();
        AnsiConsole.MarkupLine($"[bold]{start.SpecName}[/]: {start.Images:N0} images in {start.Combinations} attribute combinations, batch {start.Batch}, {start.Device}");
        AnsiConsole.MarkupLine(start.ResumedFrom is null
            ? $"Training steps 1..{start.TotalSteps}"
            : $"Resumed from {Markup.Escape(start.ResumedFrom)} at step {start.FirstStep}; training to {start.TotalSteps}");
    }

    public void Stepped(StepReport report)
    {
        smoothedImagesPerSecond = smoothedImagesPerSecond == 0 ? report.ImagesPerSecond : 0.9 * smoothedImagesPerSecond + 0.1 * report.ImagesPerSecond;
        bool last = report.Step == report.TotalSteps;
        if (!last && sinceLine.Elapsed.TotalSeconds < 2 && report.Step != firstStep + 1) return;
        sinceLine.Restart();

        double done = report.Step - firstStep;
        double perStep = sinceStart.Elapsed.TotalSeconds / Math.Max(done, 1);
        var eta = TimeSpan.FromSeconds(perStep * (report.TotalSteps - report.Step));
        var l = report.Losses;
        var line = string.Create(CultureInfo.InvariantCulture,
            $"step {report.Step,7}/{report.TotalSteps} {100.0 * report.Step / report.TotalSteps,5:F1}%  ETA {eta:hh\\:mm\\:ss}  " +
            $"D {l.DiscriminatorAdversarial:F3} rec {l.Reconstruction:F3} con {l.DiscriminatorContrastive:F3}  " +
            $"G {l.GeneratorAdversarial:F3} con {l.GeneratorContrastive:F3}  {smoothedImagesPerSecond:F1} img/s");
        Console.WriteLine(line);
    }

    public void Saved(string what, string path) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(what)}: {Markup.Escape(path)}[/]");

    public void Message(string text) => AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(text) + "[/]");

    public void Summarise(RunDirectory run, long step, long total)
    {
        var status = step == total ? "finished" : $"stopped at step {step} of {total}; run the same command to resume";
        AnsiConsole.MarkupLine($"[green]{status}[/] in {sinceStart.Elapsed:hh\\:mm\\:ss}. Everything is in {Markup.Escape(run.Root)} (see README.txt there).");
    }

    public void Dispose()
    {
    }
}
