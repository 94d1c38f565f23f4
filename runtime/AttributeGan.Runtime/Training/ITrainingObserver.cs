namespace AttributeGan.Runtime.Training;

/// <summary>What the trainer reports as it goes; the command line renders it (progress bar), tests record it.</summary>
public interface ITrainingObserver
{
    void Started(TrainingStart start);

    void Stepped(StepReport report);

    void Saved(string what, string path);

    void Message(string text);
}

/// <param name="FirstStep">The step training starts from (0, or the resumed checkpoint's).</param>
/// <param name="ResumedFrom">The checkpoint resumed from, if any.</param>
public sealed record TrainingStart(string SpecName, long FirstStep, long TotalSteps, int Batch, int Images, int Combinations, string? ResumedFrom, string Device)
{
    /// <summary>Processes training together (data-parallel ranks); <see cref="Batch"/> is the global batch they share.</summary>
    public int Ranks { get; init; } = 1;
}

/// <param name="ResidentBytes">The process's resident memory after the step: flat over a run when every step disposes what it allocates.</param>
public sealed record StepReport(long Step, long TotalSteps, StepLosses Losses, double ImagesPerSecond, double SecondsPerStep, long ResidentBytes)
{
    /// <summary>The collapse monitor's probe after this step, on the steps it measures (<see cref="CollapseMonitor"/>).</summary>
    public Sampling.GridSpread? Spread { get; init; }
}

/// <summary>Ignores everything.</summary>
public sealed class SilentObserver : ITrainingObserver
{
    public static SilentObserver Instance { get; } = new();

    public void Started(TrainingStart start)
    {
    }

    public void Stepped(StepReport report)
    {
    }

    public void Saved(string what, string path)
    {
    }

    public void Message(string text)
    {
    }
}
