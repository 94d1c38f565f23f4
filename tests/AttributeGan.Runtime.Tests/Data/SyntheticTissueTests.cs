using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Data;
using Xunit;

namespace AttributeGan.Runtime.Tests.Data;

public class SyntheticTissueTests
{
    private static readonly TissueIntensities Middle = new(0.4, 0.4, 0.3, 0.4, 0.4);

    [Fact]
    public void The_same_seed_draws_byte_identical_pixels_and_another_seed_differs()
    {
        var a = SyntheticTissue.Draw(Middle, 64, 42);
        var b = SyntheticTissue.Draw(Middle, 64, 42);
        var c = SyntheticTissue.Draw(Middle, 64, 43);

        Assert.Equal(64 * 64 * 3, a.Pixels.Length);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Nuclei, b.Nuclei);
        int differing = a.Pixels.Zip(c.Pixels).Count(p => Math.Abs(p.First - p.Second) > 30);
        Assert.True(differing > a.Pixels.Length / 10, $"only {differing} bytes differ between seeds 42 and 43");
    }

    [Fact]
    public void Drawing_is_deterministic_across_threads()
    {
        var expected = SyntheticTissue.Draw(Middle, 32, 5).Pixels;
        var parallel = Enumerable.Range(0, 8).AsParallel().Select(_ => SyntheticTissue.Draw(Middle, 32, 5).Pixels).ToList();
        Assert.All(parallel, p => Assert.Equal(expected, p));
    }

    [Theory]
    [InlineData(16)]
    [InlineData(128)]
    public void Every_resolution_shows_the_same_tissue(int resolution)
    {
        var small = SyntheticTissue.Draw(Middle, resolution, 9);
        var reference = SyntheticTissue.Draw(Middle, 64, 9);
        double scale = resolution / 64.0;
        Assert.Equal(reference.Nuclei.Count, small.Nuclei.Count);
        Assert.All(reference.Nuclei.Zip(small.Nuclei), p => Assert.Equal(p.First.X * scale, p.Second.X, 6));
    }

    [Theory]
    [InlineData(8)]
    [InlineData(48)]
    [InlineData(1024)]
    public void Resolutions_outside_the_powers_of_two_16_to_512_are_refused(int resolution) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticTissue.Draw(Middle, resolution, 1));

    [Fact]
    public void Crowding_raises_the_fraction_of_dark_nuclear_pixels() =>
        AssertRises(TissueAttribute.CellCrowding, p => Fraction(p, (r, g, b) => Luma(r, g, b) < 125), minimumStep: 0.02);

    [Fact]
    public void Mitosis_adds_very_dark_condensed_blobs() =>
        AssertRises(TissueAttribute.Mitosis, p => Fraction(p, (r, g, b) => Luma(r, g, b) < 60), minimumStep: 0.0008);

    [Fact]
    public void Nucleoli_add_dark_red_dots_inside_nuclei() =>
        AssertRises(TissueAttribute.Nucleoli, p => Fraction(p, (r, g, b) => r > b + 10 && Luma(r, g, b) < 115), minimumStep: 0.002);

    [Fact]
    public void Pleomorphism_spreads_nuclear_size() =>
        AssertRises(TissueAttribute.Pleomorphism, p =>
        {
            var areas = Epithelial(p).Select(n => n.Area).ToArray();
            double mean = areas.Average();
            return Math.Sqrt(areas.Average(a => (a - mean) * (a - mean))) / mean;   // coefficient of variation
        }, minimumStep: 0.1);

    [Fact]
    public void Lacking_polarity_turns_nuclei_away_from_the_basement_normal()
    {
        // Geometry: |cos| between long axis and basement normal; 1 = perpendicular to the line, 2/π ≈ 0.64 = random.
        AssertFalls(TissueAttribute.CellPolarity, p => Epithelial(p).Average(n => n.Alignment), minimumStep: 0.03);
        // Pixels: the long axis from the second moments of the dark pixels around each nucleus agrees.
        AssertFalls(TissueAttribute.CellPolarity, MeasuredAlignment, minimumStep: 0.02);
        Assert.True(Average(Middle.With(TissueAttribute.CellPolarity, 1), p => Epithelial(p).Average(n => n.Alignment)) < 0.7);
    }

    [Fact]
    public void Spec_attributes_map_by_name_and_levels_to_evenly_spaced_intensities()
    {
        var layout = new AttributeLayout(new[]
        {
            new AttributeDefinition("Mitosis", new[] { "rare", "occasional", "frequent" }),
            new AttributeDefinition("cell_crowding", new[] { "normal", "mild", "moderate", "severe" }),
        });
        var map = new TissueAttributeMap(layout);
        var a = map.Intensities(new[] { 1, 3 }, new SeededRandom(1));
        var b = map.Intensities(new[] { 1, 3 }, new SeededRandom(2));

        Assert.Equal(TissueAttribute.Mitosis, map.SyntheticOf(0));
        Assert.Equal(0.5, a.Mitosis);
        Assert.Equal(1.0, a.CellCrowding);
        Assert.Equal(a.Mitosis, b.Mitosis);
        Assert.NotEqual(a.Nucleoli, b.Nucleoli);   // attributes the spec lacks are random nuisance
        Assert.Equal(2 / 3.0, TissueAttributeMap.Intensity(2, 4), 12);
    }

    [Fact]
    public void A_spec_attribute_the_synthetic_set_cannot_draw_is_an_error_naming_the_five()
    {
        var layout = new AttributeLayout(new[] { new AttributeDefinition("crowding", new[] { "low", "high" }) });
        var error = Assert.Throws<ArgumentException>(() => new TissueAttributeMap(layout));
        Assert.Contains("'crowding'", error.Message);
        Assert.Contains("cell_crowding, cell_polarity, mitosis, nucleoli, pleomorphism", error.Message);
    }

    internal static IEnumerable<Nucleus> Epithelial(TissuePatch p) => p.Nuclei.Where(n => n.Kind == NucleusKind.Epithelial);

    internal static double Luma(byte r, byte g, byte b) => 0.299 * r + 0.587 * g + 0.114 * b;

    internal static double Fraction(TissuePatch p, Func<byte, byte, byte, bool> predicate)
    {
        int count = 0;
        for (int i = 0; i < p.Pixels.Length; i += 3)
            if (predicate(p.Pixels[i], p.Pixels[i + 1], p.Pixels[i + 2])) count++;
        return count * 3.0 / p.Pixels.Length;
    }

    /// <summary>Mean over seeds 0..9 of a measure at 64×64 (one attribute varied, the others mid-range).</summary>
    private static double Average(TissueIntensities intensities, Func<TissuePatch, double> measure) =>
        Enumerable.Range(0, 10).AsParallel().Select(s => measure(SyntheticTissue.Draw(intensities, 64, (ulong)(1000 + s)))).Average();

    private static double[] Curve(TissueAttribute attribute, Func<TissuePatch, double> measure) =>
        new[] { 0, 1 / 3.0, 2 / 3.0, 1 }.Select(v => Average(Middle.With(attribute, v), measure)).ToArray();

    private static void AssertRises(TissueAttribute attribute, Func<TissuePatch, double> measure, double minimumStep)
    {
        var curve = Curve(attribute, measure);
        for (int i = 1; i < curve.Length; i++)
            Assert.True(curve[i] - curve[i - 1] >= minimumStep, $"{attribute}: {string.Join(" → ", curve.Select(c => c.ToString("F4")))}");
    }

    private static void AssertFalls(TissueAttribute attribute, Func<TissuePatch, double> measure, double minimumStep)
    {
        var curve = Curve(attribute, measure);
        for (int i = 1; i < curve.Length; i++)
            Assert.True(curve[i - 1] - curve[i] >= minimumStep, $"{attribute}: {string.Join(" → ", curve.Select(c => c.ToString("F4")))}");
    }

    /// <summary>Per epithelial nucleus, the principal axis of darkness-weighted pixel moments in its disc, vs the basement normal.</summary>
    private static double MeasuredAlignment(TissuePatch p)
    {
        int r = p.Resolution;
        var alignments = new List<double>();
        foreach (var n in Epithelial(p))
        {
            double w0 = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, radius = n.MajorRadius;
            for (int y = (int)(n.Y - radius); y <= (int)(n.Y + radius) + 1; y++)
                for (int x = (int)(n.X - radius); x <= (int)(n.X + radius) + 1; x++)
                {
                    double dx = x + 0.5 - n.X, dy = y + 0.5 - n.Y;
                    if (x < 0 || y < 0 || x >= r || y >= r || dx * dx + dy * dy > radius * radius) continue;
                    int i = (y * r + x) * 3;
                    double w = Math.Max(0, 170 - Luma(p.Pixels[i], p.Pixels[i + 1], p.Pixels[i + 2]));
                    w0 += w; sx += w * dx; sy += w * dy; sxx += w * dx * dx; syy += w * dy * dy; sxy += w * dx * dy;
                }
            if (w0 <= 0) continue;
            double mx = sx / w0, my = sy / w0;
            double theta = 0.5 * Math.Atan2(2 * (sxy / w0 - mx * my), sxx / w0 - mx * mx - (syy / w0 - my * my));
            alignments.Add(Math.Abs(Math.Cos(theta - n.BasementNormal)));
        }
        return alignments.Average();
    }
}
