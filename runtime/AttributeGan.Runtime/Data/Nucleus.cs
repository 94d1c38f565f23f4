using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Runtime.Data;

public enum NucleusKind
{
    /// <summary>Urothelial nucleus in the epithelium layer: the cells every attribute is about.</summary>
    Epithelial,

    /// <summary>Thin spindle-shaped fibroblast nucleus in the stroma, lying along the fibres.</summary>
    Stromal,

    /// <summary>Small round dark lymphocyte in the stroma.</summary>
    Lymphocyte,

    /// <summary>Condensed chromosomes of a dividing cell: very dark, irregular, with a pale halo.</summary>
    Mitotic,
}

/// <summary>
/// One drawn nucleus, in the pixel coordinates of its patch (x right, y down; angles in radians from +x towards +y).
/// Exposed so tests and tools can check the geometry each attribute controls.
/// </summary>
public sealed record Nucleus(
    NucleusKind Kind,
    double X,
    double Y,
    double MajorRadius,
    double MinorRadius,
    double Angle,
    double BasementNormal,
    int Nucleoli)
{
    /// <summary>Area of the underlying ellipse (the irregular outline wobbles around it).</summary>
    public double Area => Math.PI * MajorRadius * MinorRadius;

    /// <summary>|cos| of the angle between the long axis and the basement line's normal: 1 = perpendicular to the line (polarised).</summary>
    public double Alignment => Math.Abs(Math.Cos(Angle - BasementNormal));

    /// <summary>Outline harmonics as (amplitude, phase) for orders 2, 3, 4: the irregularity pleomorphism adds.</summary>
    internal IReadOnlyList<(double Amplitude, double Phase)> Harmonics { get; init; } = Array.Empty<(double, double)>();

    /// <summary>0 = pale, 1 = dark chromatin (hyperchromasia varies with pleomorphism).</summary>
    internal double Shade { get; init; }

    /// <summary>Seeds the chromatin speckle so drawing needs no shared random stream.</summary>
    internal ulong DetailSeed { get; init; }

    /// <summary>Condensed chromosome arms of a mitotic figure: (x1, y1, x2, y2, width) in the same units as X, Y.</summary>
    internal IReadOnlyList<(double X1, double Y1, double X2, double Y2, double Width)> Chromosomes { get; init; } =
        Array.Empty<(double, double, double, double, double)>();

    /// <summary>Value equality including the outline and chromosome lists (a record would compare those by reference).</summary>
    public bool Equals(Nucleus? other) =>
        other is not null && Kind == other.Kind && X == other.X && Y == other.Y && MajorRadius == other.MajorRadius &&
        MinorRadius == other.MinorRadius && Angle == other.Angle && BasementNormal == other.BasementNormal && Nucleoli == other.Nucleoli &&
        Shade == other.Shade && DetailSeed == other.DetailSeed && Harmonics.SequenceEqual(other.Harmonics) && Chromosomes.SequenceEqual(other.Chromosomes);

    public override int GetHashCode() => HashCode.Combine(Kind, X, Y, MajorRadius, MinorRadius, Angle, DetailSeed);

    internal Nucleus Scaled(double factor) => this with
    {
        X = X * factor,
        Y = Y * factor,
        MajorRadius = MajorRadius * factor,
        MinorRadius = MinorRadius * factor,
        Chromosomes = Chromosomes.Select(c => (c.X1 * factor, c.Y1 * factor, c.X2 * factor, c.Y2 * factor, c.Width * factor)).ToArray(),
    };
}
