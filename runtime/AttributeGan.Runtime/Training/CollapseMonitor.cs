using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Sampling;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Watches whether the generator still uses its noise. Every few steps it samples the same probe grid from the EMA
/// generator (the levels of the first attribute × <see cref="Columns"/> fixed noise vectors, the other attributes at the
/// data's most frequent combination) and measures its <see cref="GridSpread"/>. It warns, once per episode, on either of
/// two signs of collapse onto one image per attribute combination, whatever the losses say:
/// <list type="bullet">
/// <item>the noise spread falls below <see cref="WarningFraction"/> of the largest value measured in the first
/// <see cref="EarlySteps"/> steps (a generator that was varied and stopped being so; re-armed after a recovery to twice
/// that);</item>
/// <item>after <see cref="LowFromStep"/> steps, the median noise spread of the last <see cref="LowWindowSteps"/> steps
/// stays below <see cref="LowFraction"/> of the real images' (a generator that was never varied enough, which the first
/// sign cannot see because its early value is low too; re-armed when the median is back above it).</item>
/// </list>
/// The second sign's constants come from the 64×64 ablation runs (real spread 0.131): after step 1,000, runs that had
/// collapsed to one layout per combination stayed mostly at 0.057–0.080 (≤ 0.61 ×), varied ones at ≥ 0.095 (≥ 0.72 ×); the
/// median over a window spares a varied run its short dips.
/// </summary>
public sealed class CollapseMonitor(IGanSpec spec, IReadOnlyList<int> baseLevels, int seed, double realNoiseSpread)
{
    /// <summary>Noise vectors of the probe grid.</summary>
    public const int Columns = 8;

    /// <summary>The probe is "early" up to this step: its largest noise spread then is the reference.</summary>
    public const long EarlySteps = 500;

    /// <summary>Warn when the noise spread is below this fraction of the early reference.</summary>
    public const double WarningFraction = 0.25;

    /// <summary>From this step on, the noise spread is also held against the real images'.</summary>
    public const long LowFromStep = 1000;

    /// <summary>Warn when the windowed median noise spread is below this fraction of the real images'.</summary>
    public const double LowFraction = 0.65;

    /// <summary>The window, in steps, whose median is held against the real images' spread.</summary>
    public const long LowWindowSteps = 500;

    private readonly Queue<(long Step, double Noise)> window = new();
    private double early;
    private bool warnedAgainstEarly;
    private bool warnedAgainstReal;

    /// <summary>The real images' noise spread (<see cref="GridSpread.RealNoiseSpread"/>), what a varied generator approaches.</summary>
    public double RealNoiseSpread { get; } = realNoiseSpread;

    /// <summary>Takes up a resumed run's earlier measurements (step, noise spread) as if they had been measured now.</summary>
    public void Resume(IEnumerable<(long Step, double Noise)> earlier)
    {
        foreach (var (step, noise) in earlier) Observe(step, noise);
        warnedAgainstEarly = warnedAgainstReal = false;
    }

    /// <summary>The probe grid's spreads for <paramref name="generator"/> (eval mode, no gradients; its mode is restored).</summary>
    public GridSpread Measure(GanGenerator generator)
    {
        var attribute = spec.Attributes.Attributes[0].Name;
        var device = generator.parameters().First().device;
        using var grid = AttributeGridSampler.Sample(generator, spec, attribute, baseLevels, Columns, seed, device);
        return GridSpread.Of(grid);
    }

    /// <summary>Records a measurement; returns a warning line when the noise spread has collapsed, else null.</summary>
    public string? Check(long step, GridSpread spread)
    {
        Observe(step, spread.Noise);
        return CheckAgainstEarly(step, spread) ?? CheckAgainstReal(step, spread);
    }

    private string? CheckAgainstEarly(long step, GridSpread spread)
    {
        if (early <= 0) return null;
        if (warnedAgainstEarly)
        {
            if (spread.Noise >= 2 * WarningFraction * early) warnedAgainstEarly = false;
            return null;
        }
        if (step <= EarlySteps || spread.Noise >= WarningFraction * early) return null;
        warnedAgainstEarly = true;
        return FormattableString.Invariant(
            $"warning: step {step}: the samples hardly vary with the noise any more: noise spread {spread.Noise:F3} is below {WarningFraction:P0} of its early {early:F3} (real images of one level: {RealNoiseSpread:F3}; attribute spread {spread.Attribute:F3}). The generator is collapsing onto one image per attribute combination; look at the newest samples/ grid.");
    }

    private string? CheckAgainstReal(long step, GridSpread spread)
    {
        if (step < LowFromStep || RealNoiseSpread <= 0 || window.Count == 0) return null;
        double median = Median(window.Select(m => m.Noise));
        double threshold = LowFraction * RealNoiseSpread;
        if (warnedAgainstReal)
        {
            if (median >= threshold) warnedAgainstReal = false;
            return null;
        }
        if (median >= threshold) return null;
        warnedAgainstReal = true;
        return FormattableString.Invariant(
            $"warning: step {step}: the samples vary too little with the noise: the median noise spread of the last {LowWindowSteps} steps, {median:F3}, is below {LowFraction:P0} of the real images' {RealNoiseSpread:F3} (attribute spread {spread.Attribute:F3}). Runs this low at this point had collapsed to one layout per attribute combination; look at the newest samples/ grid.");
    }

    private void Observe(long step, double noise)
    {
        if (!double.IsFinite(noise)) return;
        if (step <= EarlySteps) early = Math.Max(early, noise);
        window.Enqueue((step, noise));
        while (window.Peek().Step <= step - LowWindowSteps) window.Dequeue();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
