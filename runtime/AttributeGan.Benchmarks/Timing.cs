using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace AttributeGan.Benchmarks;

/// <summary>Summary of repeated timings in milliseconds: the median is the headline, the spread says how noisy it was.</summary>
public sealed record TimingStats(int Count, double MedianMs, double MinMs, double P10Ms, double P90Ms)
{
    public static TimingStats Of(IReadOnlyList<double> milliseconds)
    {
        if (milliseconds.Count == 0) throw new ArgumentException("No timings to summarise.", nameof(milliseconds));
        var sorted = milliseconds.OrderBy(x => x).ToArray();
        return new TimingStats(sorted.Length, Quantile(sorted, 0.5), sorted[0], Quantile(sorted, 0.1), Quantile(sorted, 0.9));
    }

    /// <summary>Relative spread (p90 − p10) / median: above ~0.2 the machine was busy and absolute numbers are suspect.</summary>
    public double Spread => MedianMs > 0 ? (P90Ms - P10Ms) / MedianMs : 0;

    /// <summary>Linear interpolation between order statistics of an ascending array.</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 1) return sorted[0];
        double position = q * (sorted.Count - 1);
        int low = (int)Math.Floor(position);
        int high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (sorted[high] - sorted[low]) * (position - low);
    }
}

/// <summary>Stopwatch helpers. Warm-up runs are discarded: the first calls pay for JIT, oneDNN kernel generation and allocator growth.</summary>
public static class Timing
{
    public static double Milliseconds(Action action)
    {
        var clock = Stopwatch.StartNew();
        action();
        return clock.Elapsed.TotalMilliseconds;
    }

    /// <summary>Runs <paramref name="action"/> <paramref name="warmup"/> times untimed, then <paramref name="count"/> times timed.</summary>
    public static TimingStats Repeat(Action action, int warmup, int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), count, "At least one timed run is needed.");
        for (int i = 0; i < warmup; i++) action();
        var times = new double[count];
        for (int i = 0; i < count; i++) times[i] = Milliseconds(action);
        return TimingStats.Of(times);
    }
}

/// <summary>
/// A ratio of two variants measured in one process: each round times A and B back to back (the order flips every round,
/// so a load change that hits one position does not favour one variant), and the per-round ratio B/A cancels whatever
/// the machine was doing in that round. The median over rounds is the estimate; the quartiles show its spread.
/// </summary>
public sealed record AlternatingResult(string NameA, string NameB, int Rounds, int RepeatsPerRound, TimingStats A, TimingStats B,
    double RatioMedian, double RatioP25, double RatioP75)
{
    /// <summary>How many times faster B is than A (time A ÷ time B): above 1 means B is faster.</summary>
    public double Speedup => RatioMedian;
}

public static class Alternation
{
    /// <summary>
    /// Times <paramref name="a"/> and <paramref name="b"/> alternately; the ratio reported is time(A) ÷ time(B) per round.
    /// Each round runs each variant <paramref name="repeatsPerRound"/> times and keeps the fastest of them (the least
    /// disturbed by other processes).
    /// </summary>
    public static AlternatingResult Compare(string nameA, Action a, string nameB, Action b, int rounds, int repeatsPerRound = 1, int warmup = 2)
    {
        if (rounds < 1) throw new ArgumentOutOfRangeException(nameof(rounds), rounds, "At least one round is needed.");
        for (int i = 0; i < warmup; i++)
        {
            a();
            b();
        }

        var timesA = new double[rounds];
        var timesB = new double[rounds];
        var ratios = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            if (r % 2 == 0)
            {
                timesA[r] = Best(a, repeatsPerRound);
                timesB[r] = Best(b, repeatsPerRound);
            }
            else
            {
                timesB[r] = Best(b, repeatsPerRound);
                timesA[r] = Best(a, repeatsPerRound);
            }
            ratios[r] = timesA[r] / timesB[r];
        }

        var sorted = ratios.OrderBy(x => x).ToArray();
        return new AlternatingResult(nameA, nameB, rounds, repeatsPerRound, TimingStats.Of(timesA), TimingStats.Of(timesB),
            TimingStats.Quantile(sorted, 0.5), TimingStats.Quantile(sorted, 0.25), TimingStats.Quantile(sorted, 0.75));
    }

    private static double Best(Action action, int repeats)
    {
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++) best = Math.Min(best, Timing.Milliseconds(action));
        return best;
    }
}
