using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Evaluation.Metrics;

/// <summary>
/// What a classifier answered for one attribute with k levels: how many images requested at level i (row) it predicted at
/// level j (column). The attribute error and the accuracy are functions of it, but it shows what those single numbers hide:
/// a classifier that gives one answer whatever was requested fills a single column. Immutable.
/// </summary>
public sealed class ConfusionMatrix
{
    private readonly long[][] counts;                               // [requested][predicted]

    /// <param name="counts">k rows (requested levels) of k counts (predicted levels), each ≥ 0; copied.</param>
    public ConfusionMatrix(string attribute, IReadOnlyList<string> levels, IReadOnlyList<IReadOnlyList<long>> counts)
    {
        if (levels.Count < 1) throw new ArgumentException($"The attribute '{attribute}' needs at least one level.", nameof(levels));
        if (counts.Count != levels.Count || counts.Any(row => row.Count != levels.Count))
            throw new ArgumentException($"The confusion matrix of '{attribute}' must be {levels.Count}×{levels.Count} (one row and one column per level), " +
                                        $"got rows of {string.Join(", ", counts.Select(row => row.Count))}.", nameof(counts));
        if (counts.Any(row => row.Any(c => c < 0))) throw new ArgumentException($"The confusion matrix of '{attribute}' has a negative count.", nameof(counts));
        Attribute = attribute;
        Levels = levels.ToArray();
        this.counts = counts.Select(row => row.ToArray()).ToArray();
    }

    public string Attribute { get; }

    /// <summary>Level names in order: the rows' (requested) and the columns' (predicted).</summary>
    public IReadOnlyList<string> Levels { get; }

    /// <summary>Images requested at <paramref name="requested"/> and predicted at <paramref name="predicted"/>.</summary>
    public long this[int requested, int predicted] => counts[requested][predicted];

    /// <summary>All images counted.</summary>
    public long Total => counts.Sum(row => row.Sum());

    /// <summary>Images requested at <paramref name="level"/> (a row's sum).</summary>
    public long Requested(int level) => counts[level].Sum();

    /// <summary>Images predicted at <paramref name="level"/> (a column's sum).</summary>
    public long Predicted(int level) => counts.Sum(row => row[level]);

    /// <summary>A copy of the counts, rows = requested, columns = predicted (for writing out).</summary>
    public long[][] Rows() => counts.Select(row => row.ToArray()).ToArray();

    /// <summary>The attribute error of the counted images: Σ count(i, j) · (norm(j) − norm(i))² / total (<see cref="AttributeError"/>).</summary>
    public double Error()
    {
        RequireImages();
        double sum = 0;
        for (int i = 0; i < Levels.Count; i++)
            for (int j = 0; j < Levels.Count; j++)
            {
                double d = AttributeError.Normalise(j, Levels.Count) - AttributeError.Normalise(i, Levels.Count);
                sum += counts[i][j] * d * d;
            }
        return sum / Total;
    }

    /// <summary>Share of the counted images predicted at their requested level (the diagonal).</summary>
    public double Accuracy()
    {
        RequireImages();
        return (double)Enumerable.Range(0, Levels.Count).Sum(i => counts[i][i]) / Total;
    }

    /// <summary>The level predicted most often (the lowest on a tie) and its share of all images.</summary>
    public (int Level, double Share) MostPredicted()
    {
        RequireImages();
        int best = 0;
        for (int j = 1; j < Levels.Count; j++) if (Predicted(j) > Predicted(best)) best = j;
        return (best, (double)Predicted(best) / Total);
    }

    /// <summary>The cell-by-cell sum of matrices of one attribute (e.g. several runs of one model).</summary>
    public static ConfusionMatrix Sum(IReadOnlyList<ConfusionMatrix> matrices)
    {
        if (matrices.Count == 0) throw new ArgumentException("Summing needs at least one confusion matrix.", nameof(matrices));
        var first = matrices[0];
        foreach (var m in matrices)
            if (!string.Equals(m.Attribute, first.Attribute, StringComparison.OrdinalIgnoreCase) || !m.Levels.SequenceEqual(first.Levels, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"Cannot add the confusion matrix of '{m.Attribute}' [{string.Join(", ", m.Levels)}] to that of '{first.Attribute}' [{string.Join(", ", first.Levels)}].", nameof(matrices));
        int k = first.Levels.Count;
        var sum = Enumerable.Range(0, k).Select(i => Enumerable.Range(0, k).Select(j => matrices.Sum(m => m.counts[i][j])).ToArray()).ToArray();
        return new ConfusionMatrix(first.Attribute, first.Levels, sum);
    }

    /// <summary>Same attribute, levels and counts (for determinism checks).</summary>
    public bool SameContent(ConfusionMatrix other) =>
        Attribute == other.Attribute && Levels.SequenceEqual(other.Levels) && counts.Zip(other.counts).All(p => p.First.SequenceEqual(p.Second));

    private void RequireImages()
    {
        if (Total == 0) throw new InvalidOperationException($"The confusion matrix of '{Attribute}' counts no images: its error and shares are undefined.");
    }
}
