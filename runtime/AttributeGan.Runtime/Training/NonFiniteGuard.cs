using System;
using System.Collections.Generic;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Stops training at the first NaN or infinite loss, before anything of that step is saved. Losses are checked as
/// host doubles (take them out of the step with <c>.item&lt;float&gt;()</c>): no tensor work, no device sync of its own.
/// The trainer checks every step's losses before it writes a checkpoint, which is what lets the exception's message
/// promise that the last checkpoint on disk is good.
/// </summary>
public static class NonFiniteGuard
{
    /// <summary>Throws <see cref="TrainingDivergedException"/> for the first loss, in the given order, that is not finite.</summary>
    /// <param name="step">The training step the losses belong to.</param>
    /// <param name="losses">Named scalar losses, e.g. ("d_adversarial", 1.7), ("g_contrastive", 2.3).</param>
    public static void Check(long step, IEnumerable<KeyValuePair<string, double>> losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        foreach (var (name, value) in losses)
        {
            Check(step, name, value);
        }
    }

    /// <inheritdoc cref="Check(long, IEnumerable{KeyValuePair{string, double}})"/>
    public static void Check(long step, params (string Name, double Value)[] losses)
    {
        ArgumentNullException.ThrowIfNull(losses);
        foreach (var (name, value) in losses)
        {
            Check(step, name, value);
        }
    }

    /// <summary>Throws <see cref="TrainingDivergedException"/> when <paramref name="value"/> is NaN or infinite.</summary>
    public static void Check(long step, string name, double value)
    {
        if (!double.IsFinite(value)) throw new TrainingDivergedException(step, name, value);
    }
}
