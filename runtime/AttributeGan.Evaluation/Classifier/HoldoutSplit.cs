using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Runtime.Data;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// A deterministic split of a data set's samples into training and held-out indices, stratified by attribute
/// combination: every combination gives the held-out set ⌊f·n⌋ or ⌈f·n⌉ of its n samples, so the held-out images
/// have the data's combination frequencies (and the real-image floor is measured on the distribution the
/// generated rows are drawn from). The same levels, fraction and seed always give the same split.
/// </summary>
public sealed record HoldoutSplit(IReadOnlyList<int> Train, IReadOnlyList<int> HeldOut)
{
    private const long ShuffleStream = 0x5B117;

    /// <param name="levels">Level per attribute of each sample (sample order).</param>
    /// <param name="fraction">Share of the samples to hold out, in (0, 1).</param>
    public static HoldoutSplit Create(IReadOnlyList<IReadOnlyList<int>> levels, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The held-out fraction must be between 0 and 1 (exclusive), e.g. 0.2.");
        int n = levels.Count;
        if (n < 2) throw new ArgumentException($"Splitting needs at least 2 images (one to train on, one to hold out); the data has {n}.", nameof(levels));

        // Groups in the lexicographic order of their level tuples (as CombinationFilter labels them), members in
        // sample order: neither depends on anything but the data.
        var groups = Enumerable.Range(0, n).GroupBy(i => string.Join(",", levels[i]))
            .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => g.ToArray()).ToArray();

        // Largest-remainder apportionment of round(f·n) held-out images over the groups: each group gets the floor
        // of its quota f·n_g, and the leftover go to the largest fractional parts (ties: larger group, then order).
        int total = Math.Clamp((int)Math.Round(fraction * n, MidpointRounding.AwayFromZero), 1, n - 1);
        var quota = groups.Select(g => fraction * g.Length).ToArray();
        var take = quota.Select(q => (int)Math.Floor(q)).ToArray();
        var byRemainder = Enumerable.Range(0, groups.Length)
            .OrderByDescending(g => quota[g] - take[g]).ThenByDescending(g => groups[g].Length).ThenBy(g => g).ToArray();
        for (int k = 0, given = take.Sum(); given < total; k = (k + 1) % byRemainder.Length)
        {
            int g = byRemainder[k];
            if (take[g] < groups[g].Length) { take[g]++; given++; }
        }

        var train = new List<int>(n - total);
        var heldOut = new List<int>(total);
        for (int g = 0; g < groups.Length; g++)
        {
            var members = groups[g];
            new SeededRandom(SeededRandom.Mix(seed, ShuffleStream, g)).Shuffle(members);
            heldOut.AddRange(members.Take(take[g]));
            train.AddRange(members.Skip(take[g]));
        }
        train.Sort();
        heldOut.Sort();
        return new HoldoutSplit(train, heldOut);
    }
}
