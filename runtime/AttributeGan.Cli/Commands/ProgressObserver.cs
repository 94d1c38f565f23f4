using System;
using System.Diagnostics;
using System.Globalization;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Training;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// Renders training progress: on an interactive terminal a live Spectre.Console progress bar (step, percentage,
/// ETA, losses, images/s); on piped output (logs, CI) one plain line every few seconds.
/// </summary>
internal sealed class ProgressObserver : ITrainingObserver
{
    private readonly Stopwatch sinceStart = new();
    private readonly Stopwatch sinceLine = new();
    private ProgressTask? bar;
    private long firstStep;
    private double smoothedImagesPerSecond;

    /// <summary>Runs <paramref name="train"/> with this observer, inside a live progress display when the terminal allows one.</summary>
    public T Run<T>(Func<ITrainingObserver, T> train)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return train(this);
        return AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                bar = context.AddTask("starting", autoStart: true, maxValue: 1);
                return train(this);
            });
    }

    public void Started(TrainingStart start)
    {
        firstStep = start.FirstStep;
        sinceStart.Restart();
        sinceLine.Restart();
        AnsiConsole.MarkupLine($"[bold]{start.SpecName}[/]: {start.Images:N0} images in {start.Combinations} attribute combinations, batch {start.Batch}" +
                               (start.Ranks > 1 ? $" over {start.Ranks} ranks ({start.Batch / start.Ranks} each)" : "") + $", {start.Device}");
        AnsiConsole.MarkupLine(start.ResumedFrom is null
            ? $"Training steps 1..{start.TotalSteps}"
            : $"Resumed from {Markup.Escape(start.ResumedFrom)} at step {start.FirstStep}; training to {start.TotalSteps}");
        if (bar is null) return;
        bar.MaxValue = start.TotalSteps;
        bar.Value = start.FirstStep;
    }

    public void Stepped(StepReport report)
    {
        smoothedImagesPerSecond = smoothedImagesPerSecond == 0 ? report.ImagesPerSecond : 0.9 * smoothedImagesPerSecond + 0.1 * report.ImagesPerSecond;
        var l = report.Losses;
        // The classifier's terms only for a spec that has one (both are 0 otherwise).
        bool classifies = l.DiscriminatorClassification != 0 || l.GeneratorClassification != 0;
        string dClassification = classifies ? string.Create(CultureInfo.InvariantCulture, $" cls {l.DiscriminatorClassification:F3}") : "";
        string gClassification = classifies ? string.Create(CultureInfo.InvariantCulture, $" cls {l.GeneratorClassification:F3}") : "";
        var losses = string.Create(CultureInfo.InvariantCulture,
            $"D {l.DiscriminatorAdversarial:F3} rec {l.Reconstruction:F3} con {l.DiscriminatorContrastive:F3}{dClassification}  G {l.GeneratorAdversarial:F3} con {l.GeneratorContrastive:F3}{gClassification}  {smoothedImagesPerSecond:F1} img/s");
        if (bar is not null)
        {
            bar.Value = report.Step;
            bar.Description = Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"step {report.Step}/{report.TotalSteps}  {losses}"));
            return;
        }

        bool last = report.Step == report.TotalSteps;
        if (!last && sinceLine.Elapsed.TotalSeconds < 5 && report.Step != firstStep + 1) return;
        sinceLine.Restart();
        double perStep = sinceStart.Elapsed.TotalSeconds / Math.Max(report.Step - firstStep, 1);
        var eta = TimeSpan.FromSeconds(perStep * (report.TotalSteps - report.Step));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"step {report.Step,7}/{report.TotalSteps} {100.0 * report.Step / report.TotalSteps,5:F1}%  ETA {eta:hh\\:mm\\:ss}  {losses}"));
    }

    public void Saved(string what, string path) => AnsiConsole.MarkupLine($"[grey]{Markup.Escape(what)}: {Markup.Escape(path)}[/]");

    public void Message(string text) => AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(text) + "[/]");

    public void Summarise(RunDirectory run, long step, long total)
    {
        var status = step == total ? "finished" : $"stopped at step {step} of {total}; run the same command to resume";
        AnsiConsole.MarkupLine($"[green]{status}[/] in {sinceStart.Elapsed:hh\\:mm\\:ss}. Everything is in {Markup.Escape(run.Root)} (see README.txt there).");
    }
}
