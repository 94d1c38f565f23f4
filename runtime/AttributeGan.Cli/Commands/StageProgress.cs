using System;
using System.Collections.Generic;
using System.Diagnostics;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// Progress of work done in named stages (fine-tuning, real images, one run after another): on an interactive
/// terminal one Spectre.Console bar per stage; on piped output (logs, CI) a plain line when a stage starts, every few
/// seconds, and when it ends.
/// </summary>
internal sealed class StageProgress
{
    private readonly Dictionary<string, ProgressTask> bars = new();
    private readonly Stopwatch sinceLine = new();
    private ProgressContext? context;
    private string? lastStage;

    /// <summary>Runs <paramref name="work"/>, inside a live progress display when the terminal allows one.</summary>
    public T Run<T>(Func<StageProgress, T> work)
    {
        if (!AnsiConsole.Profile.Capabilities.Interactive) return work(this);
        return AnsiConsole.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(live =>
            {
                context = live;
                try
                {
                    return work(this);
                }
                finally
                {
                    context = null;
                }
            });
    }

    /// <param name="stage">Names the bar (one per stage).</param>
    /// <param name="detail">Shown after the stage, e.g. the loss; may be empty.</param>
    public void Report(string stage, double done, double total, string detail = "")
    {
        string text = detail.Length == 0 ? stage : $"{stage}  {detail}";
        if (context is not null)
        {
            if (!bars.TryGetValue(stage, out var bar)) bars[stage] = bar = context.AddTask(Markup.Escape(stage), autoStart: true, maxValue: Math.Max(total, 1));
            bar.MaxValue = Math.Max(total, 1);
            bar.Value = done;
            bar.Description = Markup.Escape(text);
            return;
        }

        bool started = stage != lastStage, finished = done >= total;
        if (!started && !finished && sinceLine.Elapsed.TotalSeconds < 5) return;
        lastStage = stage;
        sinceLine.Restart();
        Console.WriteLine(FormattableString.Invariant($"{text}: {done:N0}/{total:N0} ({(total > 0 ? 100 * done / total : 100):F0}%)"));
    }

    public static void Message(string text) => AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(text) + "[/]");
}
