using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;

namespace AttributeGan.Evaluation.Metrics;

/// <summary>
/// The paper's attribute error (Table 1): for one attribute with k levels, each level index i is normalised to
/// i / (k − 1) ∈ [0, 1], and the error is the mean squared difference between the level a classifier predicts and
/// the level that was requested (for real images: the level in the table). The predicted level is the classifier's
/// argmax class, not an expectation over its softmax: the paper compares levels, and a hard prediction keeps the
/// floor measured on real images comparable with the generated rows. A single-level attribute has error 0.
/// </summary>
public static class AttributeError
{
    /// <summary>Level index → [0, 1]: <paramref name="level"/> / (<paramref name="levels"/> − 1); 0 for a single-level attribute.</summary>
    public static double Normalise(int level, int levels)
    {
        if (levels < 1) throw new ArgumentOutOfRangeException(nameof(levels), levels, "An attribute has at least one level.");
        if ((uint)level >= (uint)levels) throw new ArgumentOutOfRangeException(nameof(level), level, $"A level of a {levels}-level attribute is in 0..{levels - 1}.");
        return levels == 1 ? 0 : (double)level / (levels - 1);
    }

    /// <summary>
    /// The baseline an attribute error must beat to show control: the error of answering one fixed level for every image,
    /// with the level that minimises it (the level nearest the mean of the requested ones). A generator whose images a
    /// classifier cannot tell apart by this attribute scores at or above it.
    /// </summary>
    public static (int Level, double Error) BestConstant(IReadOnlyList<int> requested, int levels)
    {
        var best = (Level: 0, Error: double.PositiveInfinity);
        for (int level = 0; level < levels; level++)
        {
            double error = Compute(Enumerable.Repeat(level, requested.Count).ToArray(), requested, levels);
            if (error < best.Error) best = (level, error);
        }
        return best;
    }

    /// <summary>Mean over samples of (norm(predicted) − norm(requested))² for one attribute with <paramref name="levels"/> levels.</summary>
    public static double Compute(IReadOnlyList<int> predicted, IReadOnlyList<int> requested, int levels)
    {
        if (predicted.Count != requested.Count)
            throw new ArgumentException($"{predicted.Count} predicted levels but {requested.Count} requested ones; pass one of each per image.", nameof(requested));
        if (predicted.Count == 0) throw new ArgumentException("The attribute error of no images is undefined; pass at least one.", nameof(predicted));
        double sum = 0;
        for (int i = 0; i < predicted.Count; i++)
        {
            double d = Normalise(predicted[i], levels) - Normalise(requested[i], levels);
            sum += d * d;
        }
        return sum / predicted.Count;
    }
}

/// <summary>
/// Streams (predicted, requested) level pairs of every attribute of a layout, a batch at a time, and gives the
/// attribute error, the accuracy and the confusion matrix per attribute: what the classifier's held-out report and the
/// evaluation of generated images both accumulate.
/// </summary>
public sealed class AttributeErrorAccumulator
{
    private readonly double[] squared;
    private readonly long[] correct;
    private readonly long[][][] confusion;                           // [attribute][requested][predicted]

    public AttributeErrorAccumulator(AttributeLayout layout)
    {
        Layout = layout;
        squared = new double[layout.Count];
        correct = new long[layout.Count];
        confusion = layout.Attributes.Select(a => Enumerable.Range(0, a.Levels.Count).Select(_ => new long[a.Levels.Count]).ToArray()).ToArray();
    }

    public AttributeLayout Layout { get; }

    /// <summary>Images added so far.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one image: its predicted and requested level per attribute (layout order).</summary>
    public void Add(IReadOnlyList<int> predicted, IReadOnlyList<int> requested)
    {
        if (predicted.Count != Layout.Count || requested.Count != Layout.Count)
            throw new ArgumentException($"Expected one level per attribute ({Layout.Count}), got {predicted.Count} predicted and {requested.Count} requested.", nameof(predicted));
        for (int a = 0; a < Layout.Count; a++)
        {
            int levels = Layout.Attributes[a].Levels.Count;
            double d = AttributeError.Normalise(predicted[a], levels) - AttributeError.Normalise(requested[a], levels);
            squared[a] += d * d;
            if (predicted[a] == requested[a]) correct[a]++;
            confusion[a][requested[a]][predicted[a]]++;             // both in range: Normalise checked them
        }
        Count++;
    }

    /// <summary>Attribute error per attribute (layout order).</summary>
    public double[] Errors() => PerAttribute(squared);

    /// <summary>Fraction of images whose predicted level equals the requested one, per attribute.</summary>
    public double[] Accuracies()
    {
        var asDouble = new double[correct.Length];
        for (int a = 0; a < correct.Length; a++) asDouble[a] = correct[a];
        return PerAttribute(asDouble);
    }

    /// <summary>
    /// Per attribute (layout order), how many images requested at each level were predicted at each level: what the
    /// classifier answered, which <see cref="Errors"/> sums into one number. Copies; the accumulator can go on.
    /// </summary>
    public ConfusionMatrix[] Confusions() =>
        Layout.Attributes.Select((attribute, a) => new ConfusionMatrix(attribute.Name, attribute.Levels, confusion[a])).ToArray();

    private double[] PerAttribute(double[] sums)
    {
        if (Count == 0) throw new InvalidOperationException("No images were added: the attribute error of no images is undefined.");
        var result = new double[sums.Length];
        for (int a = 0; a < sums.Length; a++) result[a] = sums[a] / Count;
        return result;
    }
}
