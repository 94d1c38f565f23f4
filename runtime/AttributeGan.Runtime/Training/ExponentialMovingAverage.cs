using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// An exponential moving average of a generator's weights (the authors' code: decay 0.995, every 10 steps after
/// step 20,000), kept in a second generator built by <c>spec.CreateGenerator()</c> on the source's device and dtype.
/// Schedule of <see cref="Update"/>(step), for <see cref="EmaSettings"/>(Decay, Start, Every):
/// <list type="bullet">
/// <item>step &lt; Start: the average is a copy of the generator (parameters and buffers);</item>
/// <item>step ≥ Start and (step − Start) mod Every = 0: ema ← d·ema + (1 − d)·param for every parameter, with
/// d = <see cref="EmaSettings.DecayAt"/>(step) (Decay, or less early in a run with a ramp-up), and every buffer
/// (batch-norm running statistics, batch counts) copied from the generator;</item>
/// <item>any other step: nothing changes.</item>
/// </list>
/// Call <see cref="Update"/> once per training step, after the optimiser step, with that step's number.
/// Create it outside any per-step dispose scope: it owns its generator until disposed.
/// </summary>
public sealed class ExponentialMovingAverage : IDisposable
{
    private readonly GanGenerator source;
    private bool disposed;

    /// <param name="generator">The trained generator; never modified.</param>
    /// <param name="settings">The schedule; defaults to the generator's spec (<c>spec.Training.Ema</c>).</param>
    public ExponentialMovingAverage(GanGenerator generator, EmaSettings? settings = null)
    {
        Settings = settings ?? generator.Spec.Training.Ema;
        if (!(Settings.Decay is >= 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), Settings.Decay, "The EMA decay must lie in [0, 1].");
        }
        if (Settings.Start < 0) throw new ArgumentOutOfRangeException(nameof(settings), Settings.Start, "The EMA start step must not be negative.");
        if (Settings.Every < 1) throw new ArgumentOutOfRangeException(nameof(settings), Settings.Every, "The EMA interval must be at least 1 step.");
        if (Settings.Rampup is { } rampup && !(rampup is > 0.0 and <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(settings), rampup, "The EMA ramp-up must lie in (0, 1].");
        }

        source = generator;
        Generator = generator.Spec.CreateGenerator();
        var first = generator.parameters().FirstOrDefault();
        if (first is not null) Generator.to(first.device, first.dtype);
        foreach (var parameter in Generator.parameters()) parameter.requires_grad = false;
        Generator.eval();

        using (torch.no_grad())
        {
            CopyAll();
        }
    }

    /// <summary>The schedule in use.</summary>
    public EmaSettings Settings { get; }

    /// <summary>The averaged generator, in eval mode, without gradients: use it for sampling and checkpoints.</summary>
    public GanGenerator Generator { get; }

    /// <summary>Whether <see cref="Update"/>(step) blends (rather than copies or skips).</summary>
    public bool Blends(long step) => step >= Settings.Start && (step - Settings.Start) % Settings.Every == 0;

    /// <summary>Applies the schedule for training step <paramref name="step"/>; in place, no gradient, no lasting allocation.</summary>
    public void Update(long step)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (step >= Settings.Start && !Blends(step)) return;

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        if (step < Settings.Start)
        {
            CopyAll();
            return;
        }

        // Scalars held by `using` for the whole loop: a temporary Scalar can be finalized while libtorch reads it.
        double d = Settings.DecayAt(step);
        using var decay = d.ToScalar();
        using var complement = (1.0 - d).ToScalar();
        foreach (var (average, current) in Pairs(Generator.named_parameters(), source.named_parameters(), "parameter"))
        {
            average.mul_(decay).add_(current, complement);                               // ema ← d·ema + (1 − d)·param
        }
        foreach (var (average, current) in Pairs(Generator.named_buffers(), source.named_buffers(), "buffer"))
        {
            average.copy_(current);
        }
    }

    /// <summary>Makes the average an exact copy of the generator (parameters and buffers).</summary>
    public void Reset()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        CopyAll();
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        Generator.Dispose();
    }

    private void CopyAll()
    {
        foreach (var (average, current) in Pairs(Generator.named_parameters(), source.named_parameters(), "parameter"))
        {
            average.copy_(current);
        }
        foreach (var (average, current) in Pairs(Generator.named_buffers(), source.named_buffers(), "buffer"))
        {
            average.copy_(current);
        }
    }

    /// <summary>Pairs the average's tensors with the generator's by name and shape; any difference is a bug in the spec's generator.</summary>
    private static IEnumerable<(Tensor Average, Tensor Current)> Pairs<T>(
        IEnumerable<(string Name, T Tensor)> averages, IEnumerable<(string Name, T Tensor)> currents, string kind)
        where T : Tensor
    {
        using var a = averages.GetEnumerator();
        using var c = currents.GetEnumerator();
        while (true)
        {
            bool moreA = a.MoveNext(), moreC = c.MoveNext();
            if (!moreA && !moreC) yield break;
            if (moreA != moreC || a.Current.Name != c.Current.Name || !a.Current.Tensor.shape.SequenceEqual(c.Current.Tensor.shape))
            {
                var left = moreA ? a.Current.Name : "(none)";
                var right = moreC ? c.Current.Name : "(none)";
                throw new InvalidOperationException(
                    $"The EMA generator's {kind} '{left}' does not match the generator's '{right}': both must come from the same spec.");
            }
            yield return (a.Current.Tensor, c.Current.Tensor);
        }
    }
}
