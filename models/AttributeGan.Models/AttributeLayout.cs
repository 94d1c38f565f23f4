using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Models;

/// <summary>One attribute: its spec name and its ordered level names.</summary>
public sealed record AttributeDefinition(string Name, IReadOnlyList<string> Levels)
{
    public int LevelIndex(string level)
    {
        for (int i = 0; i < Levels.Count; i++)
            if (string.Equals(Levels[i], level, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException($"Attribute '{Name}' has no level '{level}'; its levels are {string.Join(", ", Levels)}.", nameof(level));
    }
}

/// <summary>
/// The attributes of a spec and how they are laid out in the one-hot vector: each attribute takes one slot per
/// level, attributes in spec order. Width = Σ level counts (16 for the paper's 4+3+3+2+4).
/// </summary>
public sealed class AttributeLayout
{
    private readonly int[] offsets;

    public AttributeLayout(IReadOnlyList<AttributeDefinition> attributes)
    {
        if (attributes.Count == 0) throw new ArgumentException("A layout needs at least one attribute.", nameof(attributes));
        Attributes = attributes;
        offsets = new int[attributes.Count];
        int width = 0;
        for (int i = 0; i < attributes.Count; i++)
        {
            offsets[i] = width;
            width += attributes[i].Levels.Count;
        }
        Width = width;
    }

    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    /// <summary>Length of the encoded attribute vector.</summary>
    public int Width { get; }

    public int Count => Attributes.Count;

    /// <summary>Where attribute <paramref name="attribute"/>'s slots start in the vector.</summary>
    public int Offset(int attribute) => offsets[attribute];

    public int IndexOf(string attributeName)
    {
        for (int i = 0; i < Attributes.Count; i++)
            if (string.Equals(Attributes[i].Name, attributeName, StringComparison.OrdinalIgnoreCase)) return i;
        throw new ArgumentException(
            $"There is no attribute '{attributeName}'; the spec's attributes are {string.Join(", ", Attributes.Select(a => a.Name))}.",
            nameof(attributeName));
    }

    /// <summary>One-hot encoding of one level per attribute.</summary>
    public AttributeVector Encode(IReadOnlyList<int> levels)
    {
        if (levels.Count != Count) throw new ArgumentException($"Expected {Count} levels, one per attribute, got {levels.Count}.", nameof(levels));
        var values = new float[Width];
        for (int i = 0; i < Count; i++)
        {
            int level = levels[i];
            if ((uint)level >= (uint)Attributes[i].Levels.Count)
                throw new ArgumentOutOfRangeException(nameof(levels), $"Level {level} of '{Attributes[i].Name}' is outside 0..{Attributes[i].Levels.Count - 1}.");
            values[offsets[i] + level] = 1f;
        }
        return new AttributeVector(this, values);
    }
}
