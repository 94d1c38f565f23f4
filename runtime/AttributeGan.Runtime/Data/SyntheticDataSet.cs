using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AttributeGan.Models;

namespace AttributeGan.Runtime.Data;

/// <summary>
/// The built-in data set: N synthetic patches for a spec's attributes. Levels are skewed like real pathology
/// (correlated through a latent grade, so some combinations are common and many rare); images are drawn on demand
/// and are a pure function of (seed, index, resolution), so nothing is stored and any sample can be redrawn.
/// </summary>
public sealed class SyntheticDataSet
{
    // Stream tags: each per-sample stream is derived from (seed, tag, index), never from a shared generator.
    private const long LevelStream = 0x1E7E1;
    private const long NuisanceStream = 0x2B15;
    private const long DrawingStream = 0x3D4A;

    private readonly int[][] levels;

    public SyntheticDataSet(AttributeLayout layout, int count, int seed)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "A data set needs at least one sample.");
        Map = new TissueAttributeMap(layout);
        Layout = layout;
        Count = count;
        Seed = seed;
        levels = new int[count][];
        for (int i = 0; i < count; i++) levels[i] = SampleLevels(layout, new SeededRandom(SeededRandom.Mix(seed, LevelStream, i)));
    }

    public AttributeLayout Layout { get; }

    public TissueAttributeMap Map { get; }

    public int Count { get; }

    public int Seed { get; }

    /// <summary>Level per spec attribute (spec order) of sample <paramref name="index"/>.</summary>
    public IReadOnlyList<int> Levels(int index) => levels[index];

    public IReadOnlyList<IReadOnlyList<int>> AllLevels => levels;

    /// <summary>The intensities sample <paramref name="index"/> is drawn at (spec attributes from levels, others random).</summary>
    public TissueIntensities Intensities(int index) =>
        Map.Intensities(levels[index], new SeededRandom(SeededRandom.Mix(Seed, NuisanceStream, index)));

    public TissuePatch Draw(int index, int resolution)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"The data set has {Count} samples.");
        return SyntheticTissue.Draw(Intensities(index), resolution, SeededRandom.Mix(Seed, DrawingStream, index));
    }

    /// <summary>
    /// The level model: a latent grade g ~ Beta(2, 3) (most tissue low to middle grade, a tail of high grade); each
    /// attribute's level is round(g·(k−1) + ε), ε ~ N(0, 0.3²) in level units, clamped to 0..k−1. Attributes thus
    /// rise together, like the pathology they stand for, and off-diagonal combinations are rare: for the paper's
    /// 4+3+3+2+4 levels and 4,062 samples about 100 of the 288 combinations occur (the paper kept 94).
    /// </summary>
    public static int[] SampleLevels(AttributeLayout layout, SeededRandom random)
    {
        double grade = random.NextBeta(2, 3);
        var result = new int[layout.Count];
        for (int a = 0; a < layout.Count; a++)
        {
            int k = layout.Attributes[a].Levels.Count;
            result[a] = Math.Clamp((int)Math.Round(grade * (k - 1) + random.Gaussian(0, 0.3)), 0, k - 1);
        }
        return result;
    }

    /// <summary>
    /// Writes <paramref name="count"/> samples as <c>images/000000.png</c>… and <c>attributes.csv</c> (level names) into
    /// <paramref name="directory"/>; returns the table's path. PNG is lossless, so loading the folder back at the same
    /// resolution gives exactly the in-memory images.
    /// </summary>
    public static string Write(AttributeLayout layout, string directory, int count, int resolution, int seed)
    {
        var set = new SyntheticDataSet(layout, count, seed);
        string images = Path.Combine(directory, "images");
        Directory.CreateDirectory(images);
        int digits = Math.Max(6, (count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture).Length);
        var names = Enumerable.Range(0, count).Select(i => "images/" + i.ToString("D" + digits, System.Globalization.CultureInfo.InvariantCulture) + ".png").ToArray();
        Parallel.For(0, count, i =>
        {
            var patch = set.Draw(i, resolution);
            ImageDecoding.WritePng(Path.Combine(directory, names[i]), patch.Pixels, resolution, resolution);
        });
        string table = Path.Combine(directory, AttributeTable.DefaultFileName);
        AttributeTable.Write(table, layout, names.Select((n, i) => (n, set.Levels(i))));
        return table;
    }
}
