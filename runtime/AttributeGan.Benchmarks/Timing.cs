using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;

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
/// <para>The process CPU time of each run is measured too: with one libtorch thread it counts the work done whatever else
/// runs on the machine, so its ratio (<see cref="CpuRatioMedian"/>) stays trustworthy on a busy machine where wall-clock
/// ratios scatter. With several threads it also counts OpenMP spin-waiting.</para>
public sealed record AlternatingResult(string NameA, string NameB, int Rounds, int RepeatsPerRound, TimingStats A, TimingStats B,
    double RatioMedian, double RatioP25, double RatioP75, double CpuRatioMedian, double CpuRatioP25, double CpuRatioP75)
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
        var cpuRatios = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            (double Wall, double Cpu) resultA, resultB;
            if (r % 2 == 0)
            {
                resultA = Best(a, repeatsPerRound);
                resultB = Best(b, repeatsPerRound);
            }
            else
            {
                resultB = Best(b, repeatsPerRound);
                resultA = Best(a, repeatsPerRound);
            }
            timesA[r] = resultA.Wall;
            timesB[r] = resultB.Wall;
            ratios[r] = resultA.Wall / resultB.Wall;
            cpuRatios[r] = resultA.Cpu / resultB.Cpu;
        }

        var sorted = ratios.OrderBy(x => x).ToArray();
        var cpuSorted = cpuRatios.OrderBy(x => x).ToArray();
        return new AlternatingResult(nameA, nameB, rounds, repeatsPerRound, TimingStats.Of(timesA), TimingStats.Of(timesB),
            TimingStats.Quantile(sorted, 0.5), TimingStats.Quantile(sorted, 0.25), TimingStats.Quantile(sorted, 0.75),
            TimingStats.Quantile(cpuSorted, 0.5), TimingStats.Quantile(cpuSorted, 0.25), TimingStats.Quantile(cpuSorted, 0.75));
    }

    /// <summary>The fastest of <paramref name="repeats"/> runs (wall clock) and the smallest CPU time, in milliseconds.</summary>
    private static (double Wall, double Cpu) Best(Action action, int repeats)
    {
        double wall = double.MaxValue, cpu = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            double cpuStart = CpuClock.ProcessMilliseconds();
            wall = Math.Min(wall, Timing.Milliseconds(action));
            cpu = Math.Min(cpu, CpuClock.ProcessMilliseconds() - cpuStart);
        }
        return (wall, cpu);
    }
}

/// <summary>CPU time consumed by this process (all threads), from clock_gettime(CLOCK_PROCESS_CPUTIME_ID).</summary>
public static class CpuClock
{
    private const int ProcessCpuTimeId = 2;

    public static double ProcessMilliseconds()
    {
        if (!OperatingSystem.IsLinux()) return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
        clock_gettime(ProcessCpuTimeId, out var time);
        return time.Seconds * 1e3 + time.Nanoseconds * 1e-6;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

#pragma warning disable SYSLIB1054 // a plain DllImport of one blittable call: LibraryImport would need unsafe code
    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int clock_gettime(int clock, out TimeSpec time);
#pragma warning restore SYSLIB1054
}
