using System;
using System.Collections.Generic;

namespace AttributeGan.Runtime.Data;

/// <summary>
/// Lays out one synthetic patch: the basement line, stroma fibres and every nucleus, with each attribute acting
/// on exactly one property so its effect is known by construction:
/// crowding → epithelial nuclear density (and how much nuclei may overlap);
/// polarity → spread of nuclear long-axis angles around the basement normal (1 = uniformly random);
/// mitosis → number of mitotic figures; nucleoli → share of nuclei with prominent (vesicular) nucleoli;
/// pleomorphism → spread of nuclear size, elongation, outline irregularity and darkness.
/// </summary>
internal static class TissueSceneBuilder
{
    private const double MajorRadius = 10.5;   // epithelial nucleus, field units: ≈ 2.6 px at 64×64, 21 px at 512×512
    private const double NucleusArea = Math.PI * MajorRadius * MajorRadius / 1.6;

    public static TissueScene Build(TissueIntensities intensities, ulong seed)
    {
        intensities.Validate();
        // One stream per layer, so changing how many nuclei one attribute asks for never shifts the fibres etc.
        var layout = new SeededRandom(SeededRandom.Mix((long)seed, 1));
        double direction = layout.Uniform(0, 2 * Math.PI);
        double shift = layout.Uniform(-55, 25);
        // Move the basement line off-centre along its normal n = (−sin, cos): negative shifts show more epithelium.
        var centre = (TissueScene.Field / 2 - shift * Math.Sin(direction), TissueScene.Field / 2 + shift * Math.Cos(direction));
        var scene = new TissueScene
        {
            Centre = centre,
            Direction = direction,
            Wobble = new[]
            {
                (layout.Uniform(3, 8), 2 * Math.PI / layout.Uniform(160, 280), layout.Uniform(0, 2 * Math.PI)),
                (layout.Uniform(0.5, 2.5), 2 * Math.PI / layout.Uniform(35, 70), layout.Uniform(0, 2 * Math.PI)),
            },
            Thickness = (layout.Uniform(80, 150), layout.Uniform(4, 16), 2 * Math.PI / layout.Uniform(80, 200), layout.Uniform(0, 2 * Math.PI)),
            Fibres = new List<Fibre>(),
            Nuclei = new List<Nucleus>(),
            Stain = (layout.Gaussian(1, 0.06), layout.Gaussian(1, 0.06)),
            NoiseSeed = SeededRandom.Mix((long)seed, 2),
        };
        AddFibres(scene, new SeededRandom(SeededRandom.Mix((long)seed, 3)));
        AddStromalCells(scene, new SeededRandom(SeededRandom.Mix((long)seed, 4)));
        AddEpithelium(scene, intensities, new SeededRandom(SeededRandom.Mix((long)seed, 5)));
        AddMitoses(scene, intensities.Mitosis, new SeededRandom(SeededRandom.Mix((long)seed, 6)));
        return scene;
    }

    private static void AddFibres(TissueScene scene, SeededRandom random)
    {
        int count = 220;
        for (int i = 0; i < count; i++)
        {
            // Collagen runs roughly parallel to the basement line: start anywhere in the stroma half-plane.
            double t = random.Uniform(-TissueScene.TRange, TissueScene.TRange), s = random.Uniform(-260, 10);
            var (x, y) = scene.Point(t, s);
            double angle = scene.Direction + random.Gaussian(0, 0.22);
            double length = random.Uniform(30, 130), amplitude = random.Uniform(1, 5), period = random.Uniform(18, 45);
            double phase = random.Uniform(0, 2 * Math.PI);
            var points = new (double X, double Y)[12];
            for (int k = 0; k < points.Length; k++)
            {
                double along = length * (k / (points.Length - 1.0) - 0.5), across = amplitude * Math.Sin(2 * Math.PI * along / period + phase);
                points[k] = (x + along * Math.Cos(angle) - across * Math.Sin(angle), y + along * Math.Sin(angle) + across * Math.Cos(angle));
            }
            bool cleft = random.Chance(0.18);
            scene.Fibres.Add(cleft
                ? new Fibre(points, random.Uniform(1.2, 3.5), 1, random.Uniform(0.5, 0.9))
                : new Fibre(points, random.Uniform(1.0, 4.5), random.Uniform(-1, 0.4), random.Uniform(0.3, 0.7)));
        }
    }

    private static void AddStromalCells(TissueScene scene, SeededRandom random)
    {
        int fibroblasts = random.NextPoisson(16), lymphocytes = random.NextPoisson(6);
        for (int i = 0; i < fibroblasts + lymphocytes; i++)
        {
            double t = random.Uniform(-TissueScene.TRange, TissueScene.TRange), s = random.Uniform(-200, -8);
            var (x, y) = scene.Point(t, s);
            bool spindle = i < fibroblasts;
            double major = spindle ? random.Uniform(8, 13) : random.Uniform(3.8, 5);
            double minor = spindle ? random.Uniform(1.8, 2.8) : major * random.Uniform(0.85, 1);
            double angle = scene.NormalAngle(t) - Math.PI / 2 + random.Gaussian(0, 0.25);
            if (!TissueScene.InField(x, y, major)) continue;
            scene.Nuclei.Add(new Nucleus(spindle ? NucleusKind.Stromal : NucleusKind.Lymphocyte, x, y, major, minor, angle, scene.NormalAngle(t), 0)
            {
                Shade = spindle ? random.Uniform(0.6, 0.8) : random.Uniform(0.75, 0.9),
                DetailSeed = random.NextUInt64(),
            });
        }
    }

    private static void AddEpithelium(TissueScene scene, TissueIntensities intensity, SeededRandom random)
    {
        double crowding = intensity.CellCrowding, polarity = intensity.CellPolarity, pleomorphism = intensity.Pleomorphism;
        // Target coverage of the epithelium by nuclei: ≈ 20 % (normal) to ≈ 85 % nominal (severe; overlaps eat some).
        double density = (0.2 + 0.65 * crowding) / NucleusArea;
        double bandArea = 2 * TissueScene.TRange * scene.Thickness.Mean;
        int target = (int)Math.Round(density * bandArea);
        var placed = new List<(double X, double Y, double Radius)>(target);
        var grid = new SpatialGrid(32);
        for (int attempt = 0; attempt < target * 6 && placed.Count < target; attempt++)
        {
            double t = random.Uniform(-TissueScene.TRange, TissueScene.TRange);
            double thickness = scene.ThicknessAt(t);

            // Pleomorphism: log-normal size spread, growing mean; elongation and outline irregularity spread too.
            double scale = Math.Exp(random.Gaussian(0, 0.05 + 0.32 * pleomorphism)) * (1 + 0.15 * pleomorphism);
            double aspect = Math.Clamp(random.Uniform(1.45, 1.8) + random.Gaussian(0, 0.35 * pleomorphism), 1.0, 2.8);
            double major = Math.Clamp(MajorRadius * scale, 4, 30), minor = major / aspect;
            double radius = (major + minor) / 2;
            // Keep the whole nucleus inside the layer: between the basement line and the luminal surface.
            double s = random.Uniform(0.8 * minor, Math.Max(0.8 * minor, thickness - 0.9 * major));
            // Normal tissue keeps nuclei apart; crowded tissue lets them touch and overlap.
            double spacing = 1.05 - 0.6 * crowding;
            var (x, y) = scene.Point(t, s);
            if (grid.AnyWithin(x, y, radius, spacing, placed)) continue;
            grid.Add(x, y, placed.Count);
            placed.Add((x, y, radius));
            double normal = scene.NormalAngle(t);
            // Polarity: long axes along the basement normal, spread uniformly over ±90°·polarity (1 = random).
            double angle = normal + polarity * random.Uniform(-Math.PI / 2, Math.PI / 2) + random.Gaussian(0, 0.1);
            double irregularity = 0.015 + 0.14 * pleomorphism;
            var harmonics = new (double, double)[3];
            for (int k = 0; k < 3; k++) harmonics[k] = (irregularity * random.Uniform(0.3, 1) / (k + 1), random.Uniform(0, 2 * Math.PI));
            double shade = Math.Clamp(random.Gaussian(0.45, 0.05 + 0.22 * pleomorphism), 0, 1);
            int nucleoli = random.Chance(0.95 * intensity.Nucleoli) ? (random.Chance(0.25) ? 2 : 1) : 0;
            ulong detail = random.NextUInt64();
            if (!TissueScene.InField(x, y, major)) continue;
            scene.Nuclei.Add(new Nucleus(NucleusKind.Epithelial, x, y, major, minor, angle, normal, nucleoli)
            {
                Harmonics = harmonics,
                Shade = shade,
                DetailSeed = detail,
            });
        }
    }

    private static void AddMitoses(TissueScene scene, double mitosis, SeededRandom random)
    {
        int count = random.NextPoisson(0.1 + 6 * mitosis);
        for (int i = 0; i < count; i++)
        {
            double t = 0, s = 0, x = 0, y = 0;
            for (int attempt = 0; attempt < 50; attempt++)
            {
                t = random.Uniform(-TissueScene.TRange, TissueScene.TRange);
                s = random.Uniform(0.15, 0.85) * scene.ThicknessAt(t);
                (x, y) = scene.Point(t, s);
                if (TissueScene.InField(x, y, -6)) break;
            }
            double halo = random.Uniform(11, 14);
            // A dividing cell rounds up and pushes its neighbours aside: drop nuclei whose centre falls in its halo.
            scene.Nuclei.RemoveAll(n => n.Kind == NucleusKind.Epithelial && Math.Pow(n.X - x, 2) + Math.Pow(n.Y - y, 2) < halo * halo);
            double plate = random.Uniform(0, Math.PI);
            var arms = MitoticFigure(random, x, y, plate);
            scene.Nuclei.Add(new Nucleus(NucleusKind.Mitotic, x, y, halo, halo * 0.85, plate, scene.NormalAngle(t), 0)
            {
                Chromosomes = arms,
                Shade = 1,
                DetailSeed = random.NextUInt64(),
            });
        }
    }

    /// <summary>Chromosome arms of a metaphase plate, an anaphase pair of plates, or a prophase clump.</summary>
    private static (double, double, double, double, double)[] MitoticFigure(SeededRandom random, double x, double y, double plate)
    {
        var arms = new List<(double, double, double, double, double)>();
        double kind = random.NextDouble();
        double ux = Math.Cos(plate), uy = Math.Sin(plate);
        if (kind < 0.75)
        {
            // Metaphase (one plate) or anaphase (two plates moving apart): arms sticking out across each plate.
            double[] offsets = kind < 0.5 ? new[] { 0.0 } : new[] { -random.Uniform(4, 6), random.Uniform(4, 6) };
            double half = random.Uniform(6.5, 9);
            foreach (double offset in offsets)
            {
                double cx = x - offset * uy, cy = y + offset * ux;
                arms.Add((cx - half * ux, cy - half * uy, cx + half * ux, cy + half * uy, random.Uniform(3, 4)));
                int count = random.NextInt(5) + 7;
                for (int k = 0; k < count; k++)
                {
                    double along = random.Uniform(-half, half), length = random.Uniform(2.5, 5), tilt = random.Gaussian(0, 0.35);
                    double ax = -Math.Sin(plate + tilt) * length, ay = Math.Cos(plate + tilt) * length;
                    double px = cx + along * ux, py = cy + along * uy;
                    arms.Add((px - ax, py - ay, px + ax, py + ay, random.Uniform(1.6, 2.4)));
                }
            }
        }
        else
        {
            // Prophase / prometaphase: a tangled clump of short thick threads.
            int count = random.NextInt(6) + 10;
            for (int k = 0; k < count; k++)
            {
                double r = random.Uniform(0, 6), a = random.Uniform(0, 2 * Math.PI), dir = random.Uniform(0, Math.PI), length = random.Uniform(2, 4.5);
                double px = x + r * Math.Cos(a), py = y + r * Math.Sin(a);
                arms.Add((px - length * Math.Cos(dir), py - length * Math.Sin(dir), px + length * Math.Cos(dir), py + length * Math.Sin(dir), random.Uniform(1.8, 2.8)));
            }
        }
        return arms.ToArray();
    }

    /// <summary>A uniform bucket grid for the minimum-distance test of dart throwing (O(1) neighbours per query).</summary>
    private sealed class SpatialGrid
    {
        private readonly double cell;
        private readonly Dictionary<(int, int), List<int>> buckets = new();

        public SpatialGrid(double cell) => this.cell = cell;

        public void Add(double x, double y, int index)
        {
            var key = ((int)Math.Floor(x / cell), (int)Math.Floor(y / cell));
            if (!buckets.TryGetValue(key, out var list)) buckets[key] = list = new List<int>();
            list.Add(index);
        }

        public bool AnyWithin(double x, double y, double radius, double spacing, List<(double X, double Y, double Radius)> placed)
        {
            int cx = (int)Math.Floor(x / cell), cy = (int)Math.Floor(y / cell);
            for (int i = cx - 2; i <= cx + 2; i++)
                for (int j = cy - 2; j <= cy + 2; j++)
                {
                    if (!buckets.TryGetValue((i, j), out var list)) continue;
                    foreach (int k in list)
                    {
                        double limit = spacing * (radius + placed[k].Radius);
                        if (Math.Pow(placed[k].X - x, 2) + Math.Pow(placed[k].Y - y, 2) < limit * limit) return true;
                    }
                }
            return false;
        }
    }
}
