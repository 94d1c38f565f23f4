using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Metrics;

/// <summary>
/// How varied a set of images is within each attribute combination, against real images of the same combinations:
/// per combination, the mean pairwise distance of one set's features divided by the same for the other set, averaged
/// over the combinations both sets have at least two images of, weighted by the first set's image count. 1 means as
/// varied as the reference; a generator that ignores its noise gives nearly equal images per combination and a ratio
/// near 0. The Fréchet distance alone hides this: a collapsed generator can still match the features' mean.
/// </summary>
public static class FeatureDiversity
{
    /// <summary>Mean Euclidean distance over the distinct pairs of rows of (n, D) features; NaN for fewer than two rows.</summary>
    public static double MeanPairwiseDistance(Tensor features)
    {
        long n = features.shape[0];
        if (n < 2) return double.NaN;
        using var scope = NewDisposeScope();
        var x = features.detach().to(ScalarType.Float64);                                // (n, D)
        var distances = cdist(x.unsqueeze(0), x.unsqueeze(0)).squeeze(0);                // (n, n), zero diagonal
        return distances.sum().item<double>() / (n * (n - 1));
    }

    /// <summary>
    /// Σ_c w_c · d(features of c) / d(reference of c) ÷ Σ_c w_c over combinations c with two or more rows in both sets,
    /// w_c = rows of c in <paramref name="features"/>; null when no combination qualifies.
    /// </summary>
    /// <param name="features">(n, D) features of the images to judge.</param>
    /// <param name="groups">Their combination labels, n of them.</param>
    /// <param name="reference">(m, D) features of the reference (real) images.</param>
    /// <param name="referenceGroups">Their combination labels, m of them.</param>
    public static double? Ratio(Tensor features, IReadOnlyList<int> groups, Tensor reference, IReadOnlyList<int> referenceGroups)
    {
        if (features.shape[0] != groups.Count) throw new ArgumentException($"{features.shape[0]} feature rows but {groups.Count} labels.", nameof(groups));
        if (reference.shape[0] != referenceGroups.Count) throw new ArgumentException($"{reference.shape[0]} reference rows but {referenceGroups.Count} labels.", nameof(referenceGroups));
        double weighted = 0, total = 0;
        foreach (var group in groups.Distinct())
        {
            var mine = Rows(groups, group);
            var theirs = Rows(referenceGroups, group);
            if (mine.Length < 2 || theirs.Length < 2) continue;
            using var scope = NewDisposeScope();
            double spread = MeanPairwiseDistance(features.index_select(0, tensor(mine)));
            double referenceSpread = MeanPairwiseDistance(reference.index_select(0, tensor(theirs)));
            if (!(referenceSpread > 0)) continue;                                     // identical reference images say nothing
            weighted += mine.Length * spread / referenceSpread;
            total += mine.Length;
        }
        return total > 0 ? weighted / total : null;
    }

    private static long[] Rows(IReadOnlyList<int> groups, int group) =>
        Enumerable.Range(0, groups.Count).Where(i => groups[i] == group).Select(i => (long)i).ToArray();
}
