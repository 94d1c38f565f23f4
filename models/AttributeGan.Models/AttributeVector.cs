using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models;

/// <summary>
/// An attribute vector in a layout: one-hot per attribute for a discrete combination, or a convex mix of
/// levels per attribute (each attribute's slots sum to 1) for interpolation.
/// </summary>
public sealed class AttributeVector
{
    private readonly float[] values;

    internal AttributeVector(AttributeLayout layout, float[] values)
    {
        Layout = layout;
        this.values = values;
    }

    public AttributeLayout Layout { get; }

    public IReadOnlyList<float> Values => values;

    /// <summary>(1 − t)·a + t·b, attribute by attribute; both vectors must share a layout.</summary>
    public static AttributeVector Lerp(AttributeVector a, AttributeVector b, float t)
    {
        if (!ReferenceEquals(a.Layout, b.Layout)) throw new ArgumentException("Both attribute vectors must come from the same spec's layout.", nameof(b));
        var mixed = new float[a.values.Length];
        for (int i = 0; i < mixed.Length; i++) mixed[i] = (1 - t) * a.values[i] + t * b.values[i];
        return new AttributeVector(a.Layout, mixed);
    }

    /// <summary>A copy with attribute <paramref name="attribute"/> set to the given weights per level (normalised to sum 1).</summary>
    public AttributeVector WithMix(int attribute, IReadOnlyList<float> levelWeights)
    {
        var definition = Layout.Attributes[attribute];
        if (levelWeights.Count != definition.Levels.Count)
            throw new ArgumentException($"'{definition.Name}' has {definition.Levels.Count} levels, got {levelWeights.Count} weights.", nameof(levelWeights));
        float sum = levelWeights.Sum();
        if (!(sum > 0) || levelWeights.Any(w => w < 0 || float.IsNaN(w)))
            throw new ArgumentException($"Level weights of '{definition.Name}' must be non-negative with a positive sum.", nameof(levelWeights));
        var copy = (float[])values.Clone();
        for (int level = 0; level < levelWeights.Count; level++) copy[Layout.Offset(attribute) + level] = levelWeights[level] / sum;
        return new AttributeVector(Layout, copy);
    }

    /// <summary>Expected level of each attribute, normalised to [0, 1] (level / (levels − 1)), as the attribute error uses.</summary>
    public float[] NormalisedLevels()
    {
        var result = new float[Layout.Count];
        for (int i = 0; i < Layout.Count; i++)
        {
            int count = Layout.Attributes[i].Levels.Count;
            if (count == 1) continue;
            float expected = 0;
            for (int level = 0; level < count; level++) expected += level * values[Layout.Offset(i) + level];
            result[i] = expected / (count - 1);
        }
        return result;
    }

    /// <summary>Stacks vectors of one layout into a (B, A) float32 tensor on <paramref name="device"/>.</summary>
    public static Tensor Stack(IReadOnlyList<AttributeVector> vectors, Device? device = null)
    {
        if (vectors.Count == 0) throw new ArgumentException("Need at least one attribute vector.", nameof(vectors));
        int width = vectors[0].Layout.Width;
        var data = new float[vectors.Count * width];
        for (int row = 0; row < vectors.Count; row++)
        {
            if (!ReferenceEquals(vectors[row].Layout, vectors[0].Layout)) throw new ArgumentException("All attribute vectors must share one layout.", nameof(vectors));
            Array.Copy(vectors[row].values, 0, data, row * width, width);
        }
        return torch.tensor(data, new long[] { vectors.Count, width }, device: device);
    }

    public Tensor ToTensor(Device? device = null) => Stack(new[] { this }, device);
}
