using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AttributeGan.Models;

namespace AttributeGan.Runtime.Data;

/// <summary>What to do with an image that cannot be used (missing, not PNG/JPEG, too large, corrupt or truncated).</summary>
public enum OnBadImage
{
    /// <summary>Stop with a <see cref="DataSetException"/> naming the file (the default: silent loss of data hides mistakes).</summary>
    Fail,

    /// <summary>Leave the image out, count it and report it in <see cref="DataSet.Skipped"/>.</summary>
    Skip,
}

/// <summary>How <see cref="DataSet.Load"/> reads a folder.</summary>
/// <param name="Percentile">Combinations rarer than this percentile of combination counts are dropped (the paper's 20).</param>
/// <param name="CacheBytes">Keep the decoded, resized images in memory when they fit in this many bytes (R·R·3 each).</param>
public sealed record DataSetOptions(
    double Percentile = CombinationFilter.DefaultPercentile,
    OnBadImage OnBadImage = OnBadImage.Fail,
    string TableFile = AttributeTable.DefaultFileName,
    long CacheBytes = 512L << 20);

/// <summary>An image left out under <see cref="OnBadImage.Skip"/>: which file, which table line, and why.</summary>
public sealed record SkippedImage(string Path, int Line, string Reason);

/// <summary>One training sample: where its image comes from, its level per attribute (spec order) and its class label.</summary>
public sealed record DataSample(string Source, IReadOnlyList<int> Levels, int Label);

/// <summary>
/// The samples a spec trains on, after the combination filter: images (drawn or decoded on demand, or cached),
/// levels and contrastive class labels. Built from the synthetic tissue or from a folder with an attribute table.
/// </summary>
public sealed class DataSet
{
    private readonly Func<int, byte[]> pixels;   // sample index → (R, R, 3) RGB bytes

    private DataSet(IGanSpec spec, IReadOnlyList<DataSample> samples, Func<int, byte[]> pixels, CombinationFilterResult combinations,
        int rowsRead, IReadOnlyList<SkippedImage> skipped, string origin)
    {
        Spec = spec;
        Samples = samples;
        this.pixels = pixels;
        Combinations = combinations;
        RowsRead = rowsRead;
        Skipped = skipped;
        Origin = origin;
    }

    public IGanSpec Spec { get; }

    public AttributeLayout Layout => Spec.Attributes;

    public int Resolution => Spec.Resolution;

    public IReadOnlyList<DataSample> Samples { get; }

    /// <summary>Samples after skipping bad images and dropping rare combinations.</summary>
    public int Count => Samples.Count;

    /// <summary>Number of surviving combinations K: the contrastive labels are 0..K−1.</summary>
    public int CombinationCount => Combinations.Kept.Count;

    public CombinationFilterResult Combinations { get; }

    /// <summary>Samples (table rows or synthetic draws) before skipping and filtering.</summary>
    public int RowsRead { get; }

    public IReadOnlyList<SkippedImage> Skipped { get; }

    /// <summary>"synthetic (seed 7)" or the table's path, for reports.</summary>
    public string Origin { get; }

    /// <summary>Image of sample <paramref name="index"/> as (R, R, 3) RGB bytes at the spec's resolution. Thread-safe.</summary>
    public byte[] Pixels(int index) => pixels(index);

    /// <summary>Image of sample <paramref name="index"/> as (3, R, R) float32 in [−1, 1]. Thread-safe.</summary>
    public float[] Image(int index) => ImageDecoding.RgbToChw(pixels(index), Resolution);

    /// <summary>A one-paragraph account: how many samples survived, how many combinations, what was skipped or dropped.</summary>
    public string Describe()
    {
        string text = $"{Origin}: {RowsRead} samples read, {Count} used in {CombinationCount} attribute combinations " +
                      $"({Combinations.Dropped.Count} combinations with {Combinations.Dropped.Sum(c => c.Count)} samples below the " +
                      $"{Combinations.Percentile:0.##}th percentile count {Combinations.Threshold:0.##} dropped)";
        if (Skipped.Count > 0) text += $"; {Skipped.Count} bad images skipped, first: {Skipped[0].Path} ({Skipped[0].Reason})";
        return text + ".";
    }

    /// <summary>
    /// The built-in synthetic set: <paramref name="count"/> samples drawn lazily at the spec's resolution, each kept after
    /// its first draw when the whole set fits in <paramref name="cacheBytes"/> (R·R·3 bytes per image). A draw is a pure
    /// function of (seed, index), so a kept image is exactly what a new draw would give; drawing takes the CPU the
    /// training step needs, and without the cache every epoch drew every image again.
    /// </summary>
    public static DataSet Synthetic(IGanSpec spec, int count, int seed, double percentile = CombinationFilter.DefaultPercentile, long cacheBytes = 512L << 20)
    {
        CheckChannels(spec);
        var set = new SyntheticDataSet(spec.Attributes, count, seed);
        var filter = CombinationFilter.Apply(set.AllLevels, percentile);
        var kept = Enumerable.Range(0, count).Where(i => filter.SampleLabels[i] >= 0).ToArray();
        var samples = kept.Select(i => new DataSample($"synthetic #{i}", set.Levels(i), filter.SampleLabels[i])).ToArray();
        int resolution = spec.Resolution;
        Func<int, byte[]> draw = i => set.Draw(kept[i], resolution).Pixels;
        if (3L * resolution * resolution * kept.Length <= cacheBytes)
        {
            var drawn = new byte[]?[kept.Length];
            var uncached = draw;
            // Two threads may draw one image at once; both get the same bytes, and either copy may stay.
            draw = i => Volatile.Read(ref drawn[i]) ?? (drawn[i] = uncached(i));
        }
        return new DataSet(spec, samples, draw, filter, count, Array.Empty<SkippedImage>(), $"synthetic (seed {seed})");
    }

    /// <summary>
    /// A folder with an attribute table (<paramref name="directory"/> may also be the table itself). Every image is
    /// checked and decoded once up front, in parallel, so a bad file is found now rather than hours into training
    /// and the sample list (hence every batch) is fixed before training starts.
    /// </summary>
    public static DataSet Load(string directory, IGanSpec spec, DataSetOptions? options = null)
    {
        options ??= new DataSetOptions();
        CheckChannels(spec);
        string table = File.Exists(directory) ? directory : Path.Combine(directory, options.TableFile);
        var rows = AttributeTable.Read(table, spec.Attributes, requireImages: options.OnBadImage == OnBadImage.Fail).Rows;
        int resolution = spec.Resolution;

        var decoded = new byte[rows.Count][];
        var failures = new DataSetException?[rows.Count];
        long bytesPerImage = 3L * resolution * resolution;
        bool cache = bytesPerImage * rows.Count <= options.CacheBytes;
        Parallel.For(0, rows.Count, i =>
        {
            try
            {
                var rgb = ImageDecoding.DecodeRgb(rows[i].FullPath, resolution);
                if (cache) decoded[i] = rgb;
            }
            catch (DataSetException e)
            {
                failures[i] = e;
            }
        });

        var skipped = new List<SkippedImage>();
        var good = new List<int>();
        for (int i = 0; i < rows.Count; i++)
        {
            if (failures[i] is not DataSetException failure)
            {
                good.Add(i);
                continue;
            }
            // In table order, so the error (or the report) does not depend on which thread finished first.
            if (options.OnBadImage == OnBadImage.Fail)
                throw new DataSetException(Path.GetFullPath(table), rows[i].Line, AttributeTable.PathColumn,
                    $"the image '{rows[i].Path}' ({rows[i].FullPath}) cannot be used: {failure.Problem}", failure.Fix, failure);
            skipped.Add(new SkippedImage(rows[i].FullPath, rows[i].Line, failure.Problem));
        }
        if (good.Count == 0)
            throw new DataSetException(table, null, null, $"none of the {rows.Count} images could be used.", "check the image files (see the skipped-file report) and the paths in the table.");

        var filter = CombinationFilter.Apply(good.Select(i => rows[i].Levels).ToArray(), options.Percentile);
        var kept = Enumerable.Range(0, good.Count).Where(k => filter.SampleLabels[k] >= 0).Select(k => good[k]).ToArray();
        var samples = kept.Select(i => new DataSample(rows[i].FullPath, rows[i].Levels, filter.LabelOf(rows[i].Levels))).ToArray();
        Func<int, byte[]> source = cache
            ? i => decoded[kept[i]]
            : i => ImageDecoding.DecodeRgb(rows[kept[i]].FullPath, resolution);
        return new DataSet(spec, samples, source, filter, rows.Count, skipped, Path.GetFullPath(table));
    }

    private static void CheckChannels(IGanSpec spec)
    {
        if (spec.ImageChannels != 3)
            throw new ArgumentException($"Spec {spec.Name} has {spec.ImageChannels} image channels; the data pipeline reads RGB (3 channels).", nameof(spec));
    }
}
