using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Runtime.Data;

/// <summary>An attribute combination (one level per attribute, spec order), how often it occurs, and its class label (−1 if dropped).</summary>
public sealed record Combination(IReadOnlyList<int> Levels, int Count, int Label)
{
    public override string ToString() => "(" + string.Join(",", Levels) + ")";
}

/// <summary>What <see cref="CombinationFilter.Apply"/> kept and dropped.</summary>
public sealed class CombinationFilterResult
{
    private readonly Dictionary<string, Combination> byKey;

    internal CombinationFilterResult(double percentile, double threshold, IReadOnlyList<Combination> kept, IReadOnlyList<Combination> dropped, int[] sampleLabels)
    {
        Percentile = percentile;
        Threshold = threshold;
        Kept = kept;
        Dropped = dropped;
        SampleLabels = sampleLabels;
        byKey = kept.Concat(dropped).ToDictionary(c => CombinationFilter.Key(c.Levels));
    }

    public double Percentile { get; }

    /// <summary>Combinations with a count below this are dropped.</summary>
    public double Threshold { get; }

    /// <summary>Surviving combinations in label order 0..K−1 (lexicographic order of their level tuples).</summary>
    public IReadOnlyList<Combination> Kept { get; }

    public IReadOnlyList<Combination> Dropped { get; }

    /// <summary>Per input sample: its combination's label, or −1 when the combination was dropped.</summary>
    public IReadOnlyList<int> SampleLabels { get; }

    /// <summary>The label of a combination, −1 if it was dropped or never seen.</summary>
    public int LabelOf(IReadOnlyList<int> levels) => byKey.TryGetValue(CombinationFilter.Key(levels), out var c) ? c.Label : -1;
}

/// <summary>
/// The paper's frequency filter: attribute combinations rarer than the 20th percentile of combination frequency
/// are discarded, and each surviving combination's index is the class label of the conditional contrastive loss.
/// </summary>
/// <remarks>
/// Precisely: let c₁ ≤ … ≤ c_K be the counts of the K combinations that occur at least once (combinations that
/// never occur are not counted). The threshold is the percentile p of these counts with linear interpolation
/// between closest ranks (NumPy's default): position h = (p/100)·(K−1), t = c_⌊h⌋ + (h − ⌊h⌋)·(c_⌈h⌉ − c_⌊h⌋).
/// A combination is kept when its count ≥ t, dropped when below. So p = 0 keeps everything, ties at the
/// threshold survive, and for counts 1,1,2,3,5,8,13,21,34,55 at p = 20: h = 1.8, t = 1.8, the two 1s go.
/// Counts are integers, so ties decide: when more than p % of the combinations share the smallest count (a long
/// tail of singletons, say), t equals that count and nothing is dropped; <see cref="DataSet.Describe"/> says so.
/// Labels 0..K′−1 follow the lexicographic order of the level tuples, which does not depend on sample order.
/// </remarks>
public static class CombinationFilter
{
    public const double DefaultPercentile = 20;

    /// <summary>The percentile of <paramref name="counts"/> by linear interpolation (see the class remarks).</summary>
    public static double Threshold(IReadOnlyList<int> counts, double percentile)
    {
        if (!(percentile >= 0 && percentile <= 100)) throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "A percentile is in [0, 100].");
        if (counts.Count == 0) return 0;
        var sorted = counts.OrderBy(c => c).ToArray();
        double h = percentile / 100 * (sorted.Length - 1);
        int low = (int)Math.Floor(h), high = (int)Math.Ceiling(h);
        return sorted[low] + (h - low) * (sorted[high] - sorted[low]);
    }

    /// <summary>Counts the combinations of <paramref name="samples"/> (levels per sample), drops the rare ones and labels the rest.</summary>
    public static CombinationFilterResult Apply(IReadOnlyList<IReadOnlyList<int>> samples, double percentile = DefaultPercentile)
    {
        var counts = new Dictionary<string, (IReadOnlyList<int> Levels, int Count)>();
        foreach (var levels in samples)
        {
            string key = Key(levels);
            counts[key] = counts.TryGetValue(key, out var entry) ? (entry.Levels, entry.Count + 1) : (levels.ToArray(), 1);
        }
        double threshold = Threshold(counts.Values.Select(v => v.Count).ToArray(), percentile);
        var ordered = counts.Values.OrderBy(v => v.Levels, LevelOrder.Instance).ToList();
        var kept = new List<Combination>();
        var dropped = new List<Combination>();
        foreach (var (levels, count) in ordered)
        {
            if (count >= threshold) kept.Add(new Combination(levels, count, kept.Count));
            else dropped.Add(new Combination(levels, count, -1));
        }
        var labels = kept.ToDictionary(c => Key(c.Levels), c => c.Label);
        var sampleLabels = samples.Select(s => labels.TryGetValue(Key(s), out int label) ? label : -1).ToArray();
        return new CombinationFilterResult(percentile, threshold, kept, dropped, sampleLabels);
    }

    internal static string Key(IReadOnlyList<int> levels) => string.Join(",", levels);

    private sealed class LevelOrder : IComparer<IReadOnlyList<int>>
    {
        public static readonly LevelOrder Instance = new();

        public int Compare(IReadOnlyList<int>? x, IReadOnlyList<int>? y)
        {
            if (x is null || y is null) return (x is null ? 0 : 1) - (y is null ? 0 : 1);
            for (int i = 0; i < Math.Min(x.Count, y.Count); i++)
                if (x[i] != y[i]) return x[i].CompareTo(y[i]);
            return x.Count.CompareTo(y.Count);
        }
    }
}
