using System;
using System.Globalization;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// A loss became NaN or infinite: training stops rather than write diverged weights. Checkpoints are written only
/// after a step whose losses were all finite, so the last one on disk is good.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(long step, string lossName, double value)
        : base(Describe(step, lossName, value))
    {
        Step = step;
        LossName = lossName;
        Value = value;
    }

    /// <summary>The training step whose loss was not finite.</summary>
    public long Step { get; }

    /// <summary>The name of the first non-finite loss found.</summary>
    public string LossName { get; }

    /// <summary>Its value: NaN, +∞ or −∞.</summary>
    public double Value { get; }

    /// <summary>"NaN", "+infinity" or "-infinity" (or the number, invariant culture).</summary>
    public static string FormatValue(double value) =>
        double.IsNaN(value) ? "NaN"
        : double.IsPositiveInfinity(value) ? "+infinity"
        : double.IsNegativeInfinity(value) ? "-infinity"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private static string Describe(long step, string lossName, double value) =>
        string.Create(CultureInfo.InvariantCulture,
            $"Training diverged at step {step}: loss '{lossName}' is {FormatValue(value)}. The last good checkpoint is kept and this step's weights are not saved; resume from that checkpoint with a lower learning rate or another seed.");
}
