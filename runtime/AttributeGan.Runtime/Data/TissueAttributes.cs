using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;

namespace AttributeGan.Runtime.Data;

/// <summary>The five attributes the synthetic tissue knows by construction (the paper's five).</summary>
public enum TissueAttribute
{
    CellCrowding,
    CellPolarity,
    Mitosis,
    Nucleoli,
    Pleomorphism,
}

/// <summary>
/// How strongly each attribute shows in a drawing, each in [0, 1]: 0 is the normal tissue (normal crowding, intact
/// polarity, rare mitoses, inconspicuous nucleoli, no pleomorphism), 1 the most abnormal.
/// </summary>
public sealed record TissueIntensities(double CellCrowding, double CellPolarity, double Mitosis, double Nucleoli, double Pleomorphism)
{
    public static TissueIntensities Normal { get; } = new(0, 0, 0, 0, 0);

    public double this[TissueAttribute attribute] => attribute switch
    {
        TissueAttribute.CellCrowding => CellCrowding,
        TissueAttribute.CellPolarity => CellPolarity,
        TissueAttribute.Mitosis => Mitosis,
        TissueAttribute.Nucleoli => Nucleoli,
        TissueAttribute.Pleomorphism => Pleomorphism,
        _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, null),
    };

    public TissueIntensities With(TissueAttribute attribute, double value) => attribute switch
    {
        TissueAttribute.CellCrowding => this with { CellCrowding = value },
        TissueAttribute.CellPolarity => this with { CellPolarity = value },
        TissueAttribute.Mitosis => this with { Mitosis = value },
        TissueAttribute.Nucleoli => this with { Nucleoli = value },
        TissueAttribute.Pleomorphism => this with { Pleomorphism = value },
        _ => throw new ArgumentOutOfRangeException(nameof(attribute), attribute, null),
    };

    internal void Validate()
    {
        foreach (TissueAttribute a in Enum.GetValues<TissueAttribute>())
            if (!(this[a] >= 0 && this[a] <= 1))
                throw new ArgumentOutOfRangeException(nameof(TissueIntensities), this[a], $"{TissueAttributeMap.NameOf(a)} intensity must be in [0, 1].");
    }
}

/// <summary>
/// Binds a spec's attributes to the synthetic ones by name: spec attribute <c>cell_crowding</c> with k levels
/// drives <see cref="TissueAttribute.CellCrowding"/>, level i drawn at intensity i/(k−1). Synthetic attributes the
/// spec does not have are drawn at random intensities, so they act as nuisance variation the model must ignore.
/// </summary>
public sealed class TissueAttributeMap
{
    private static readonly (TissueAttribute Attribute, string Name)[] Names =
    {
        (TissueAttribute.CellCrowding, "cell_crowding"),
        (TissueAttribute.CellPolarity, "cell_polarity"),
        (TissueAttribute.Mitosis, "mitosis"),
        (TissueAttribute.Nucleoli, "nucleoli"),
        (TissueAttribute.Pleomorphism, "pleomorphism"),
    };

    private readonly TissueAttribute[] bound;

    public TissueAttributeMap(AttributeLayout layout)
    {
        Layout = layout;
        bound = new TissueAttribute[layout.Count];
        for (int i = 0; i < layout.Count; i++)
        {
            string name = layout.Attributes[i].Name;
            int match = Array.FindIndex(Names, n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match < 0)
                throw new ArgumentException(
                    $"The synthetic data set cannot draw attribute '{name}': it draws only {string.Join(", ", SyntheticNames)}. " +
                    "Rename the spec's attribute to one of those, or train on a data set from disk (--data).", nameof(layout));
            bound[i] = Names[match].Attribute;
            if (Array.IndexOf(bound, bound[i], 0, i) >= 0)
                throw new ArgumentException($"Two spec attributes map to the synthetic attribute '{Names[match].Name}'.", nameof(layout));
        }
    }

    /// <summary>The names the synthetic set understands, in <see cref="TissueAttribute"/> order.</summary>
    public static IReadOnlyList<string> SyntheticNames { get; } = Names.Select(n => n.Name).ToArray();

    public static string NameOf(TissueAttribute attribute) => Names[(int)attribute].Name;

    public AttributeLayout Layout { get; }

    /// <summary>The synthetic attribute that spec attribute <paramref name="specAttribute"/> drives.</summary>
    public TissueAttribute SyntheticOf(int specAttribute) => bound[specAttribute];

    /// <summary>Intensity of level <paramref name="level"/> of a k-level attribute: level/(k−1); 0 for a single level.</summary>
    public static double Intensity(int level, int levelCount) => levelCount <= 1 ? 0 : (double)level / (levelCount - 1);

    /// <summary>
    /// Intensities for one sample: the spec's attributes from their levels, the others drawn uniformly from
    /// <paramref name="nuisance"/> (always consumed in attribute order, so the stream does not depend on the spec).
    /// </summary>
    public TissueIntensities Intensities(IReadOnlyList<int> levels, SeededRandom nuisance)
    {
        if (levels.Count != Layout.Count) throw new ArgumentException($"Expected {Layout.Count} levels, got {levels.Count}.", nameof(levels));
        var values = new double[Names.Length];
        for (int a = 0; a < values.Length; a++) values[a] = nuisance.NextDouble();
        for (int i = 0; i < levels.Count; i++)
        {
            int count = Layout.Attributes[i].Levels.Count;
            if ((uint)levels[i] >= (uint)count)
                throw new ArgumentOutOfRangeException(nameof(levels), levels[i], $"Level of '{Layout.Attributes[i].Name}' must be in 0..{count - 1}.");
            values[(int)bound[i]] = Intensity(levels[i], count);
        }
        return new TissueIntensities(values[0], values[1], values[2], values[3], values[4]);
    }
}
