using System;
using System.Collections.Generic;

namespace AttributeGan.Runtime.Data;

/// <summary>A stroma fibre: a wavy polyline with a width and a shade (−1 dark collagen … +1 pale cleft).</summary>
internal sealed record Fibre((double X, double Y)[] Points, double Width, double Shade, double Opacity);

/// <summary>
/// Everything one synthetic patch shows, as plain geometry in a fixed 256-unit field, so the same seed draws the
/// same tissue at every resolution (16…512 only change the sampling). All geometry is drawn from the seed here, in
/// a fixed order that does not depend on the resolution; the renderer's only randomness (chromatin speckle,
/// cytoplasm mottling, grain) comes from streams seeded by the scene, so skipping detail at low resolution
/// cannot shift anything else.
/// </summary>
/// <remarks>
/// The basement line runs along direction u through <see cref="Centre"/> and wobbles by b(t) along the normal n:
/// B(t) = C + t·u + b(t)·n. A point at depth s is P(t, s) = B(t) + s·n (a shear, which never folds, unlike a true
/// offset curve); s &lt; 0 is stroma, 0 ≤ s ≤ T(t) the epithelium, beyond it the lumen.
/// </remarks>
internal sealed class TissueScene
{
    public const double Field = 256;
    public const double TRange = 210;          // |t| that covers the field's diagonal (181) with a margin

    public required (double X, double Y) Centre { get; init; }
    public required double Direction { get; init; }                   // angle of u
    public required (double Amplitude, double Frequency, double Phase)[] Wobble { get; init; }
    public required (double Mean, double Amplitude, double Frequency, double Phase) Thickness { get; init; }
    public required List<Fibre> Fibres { get; init; }
    public required List<Nucleus> Nuclei { get; init; }               // in draw order; mitoses last
    public required (double Haematoxylin, double Eosin) Stain { get; init; }  // per-image stain strength (nuisance)
    public required ulong NoiseSeed { get; init; }

    public double Offset(double t)
    {
        double b = 0;
        foreach (var (amplitude, frequency, phase) in Wobble) b += amplitude * Math.Sin(frequency * t + phase);
        return b;
    }

    public double Slope(double t)
    {
        double d = 0;
        foreach (var (amplitude, frequency, phase) in Wobble) d += amplitude * frequency * Math.Cos(frequency * t + phase);
        return d;
    }

    public double ThicknessAt(double t) => Thickness.Mean + Thickness.Amplitude * Math.Sin(Thickness.Frequency * t + Thickness.Phase);

    public (double X, double Y) Point(double t, double s)
    {
        double ux = Math.Cos(Direction), uy = Math.Sin(Direction);
        double along = Offset(t) + s;
        return (Centre.X + t * ux - along * uy, Centre.Y + t * uy + along * ux);
    }

    /// <summary>Angle of the basement line's normal at t, pointing into the epithelium.</summary>
    public double NormalAngle(double t) => Direction + Math.PI / 2 + Math.Atan(Slope(t));

    public static bool InField(double x, double y, double margin) =>
        x >= -margin && y >= -margin && x <= Field + margin && y <= Field + margin;
}
