using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Sampling;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Watches whether the generator still uses its noise. Every few steps it samples the same probe grid from the EMA
/// generator (the levels of the first attribute × <see cref="Columns"/> fixed noise vectors, the other attributes at the
/// data's most frequent combination) and measures its <see cref="GridSpread"/>. When the noise spread falls below
/// <see cref="WarningFraction"/> of the largest value measured in the first <see cref="EarlySteps"/> steps, it says so
/// once (again only after a recovery to twice that): a generator whose columns look alike has collapsed onto one image
/// per attribute combination, whatever its losses say.
/// </summary>
public sealed class CollapseMonitor(IGanSpec spec, IReadOnlyList<int> baseLevels, int seed, double realNoiseSpread)
{
    /// <summary>Noise vectors of the probe grid.</summary>
    public const int Columns = 8;

    /// <summary>The probe is "early" up to this step: its largest noise spread then is the reference.</summary>
    public const long EarlySteps = 500;

    /// <summary>Warn when the noise spread is below this fraction of the early reference.</summary>
    public const double WarningFraction = 0.25;

    private double early;
    private bool warned;

    /// <summary>The real images' noise spread (<see cref="GridSpread.RealNoiseSpread"/>), what a varied generator approaches.</summary>
    public double RealNoiseSpread { get; } = realNoiseSpread;

    /// <summary>Takes up a resumed run's earlier measurements (step, noise spread) as if they had been measured now.</summary>
    public void Resume(IEnumerable<(long Step, double Noise)> earlier)
    {
        foreach (var (step, noise) in earlier) Observe(step, noise);
        warned = false;
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
        if (early <= 0) return null;
        if (warned)
        {
            if (spread.Noise >= 2 * WarningFraction * early) warned = false;
            return null;
        }
        if (step <= EarlySteps || spread.Noise >= WarningFraction * early) return null;
        warned = true;
        return FormattableString.Invariant(
            $"warning: step {step}: the samples hardly vary with the noise any more: noise spread {spread.Noise:F3} is below {WarningFraction:P0} of its early {early:F3} (real images of one level: {RealNoiseSpread:F3}; attribute spread {spread.Attribute:F3}). The generator is collapsing onto one image per attribute combination; look at the newest samples/ grid.");
    }

    private void Observe(long step, double noise)
    {
        if (step <= EarlySteps && double.IsFinite(noise)) early = Math.Max(early, noise);
    }
}
