using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Runtime.Data;

namespace AttributeGan.Evaluation;

/// <summary>
/// The attribute combinations generated images are asked for: drawn from the real data's combinations with their
/// frequencies, so a run is measured on the attribute mix it was trained to reproduce. A pure function of the
/// combinations, the count and the seed: every run of one evaluation gets the same requests.
/// </summary>
public static class CombinationSampler
{
    private const long Stream = 0xC0B1;

    /// <returns><paramref name="count"/> level tuples (spec attribute order).</returns>
    public static IReadOnlyList<IReadOnlyList<int>> Draw(IReadOnlyList<Combination> combinations, int count, int seed)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Cannot draw a negative number of combinations.");
        var usable = combinations.Where(c => c.Count > 0).ToArray();
        if (usable.Length == 0) throw new ArgumentException("There are no attribute combinations with samples to draw from.", nameof(combinations));
        var cumulative = new long[usable.Length];
        long total = 0;
        for (int i = 0; i < usable.Length; i++) cumulative[i] = total += usable[i].Count;

        var random = new SeededRandom(SeededRandom.Mix(seed, Stream));
        var draws = new IReadOnlyList<int>[count];
        for (int k = 0; k < count; k++)
        {
            long u = (long)(random.NextDouble() * total);                    // uniform over the samples 0..total−1
            int index = Array.BinarySearch(cumulative, u + 1);
            draws[k] = usable[index >= 0 ? index : ~index].Levels;          // first combination whose running count exceeds u
        }
        return draws;
    }
}
