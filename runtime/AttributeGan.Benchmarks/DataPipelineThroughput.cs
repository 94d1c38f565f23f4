using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using AttributeGan.Models;
using AttributeGan.Runtime.Data;

namespace AttributeGan.Benchmarks;

/// <summary>One way of feeding training: images per second through the real <see cref="BatchLoader"/> (with its prefetch).</summary>
public sealed record DataPipelineRow(string Source, string Work, int Images, double Seconds)
{
    public double ImagesPerSecond => Images / Seconds;
}

public sealed record DataPipelineResult(string Model, int Batch, int Prefetch, IReadOnlyList<DataPipelineRow> Rows);

/// <summary>
/// The data pipeline alone, with all cores to itself: the built-in synthetic set (drawn once, then kept), and a PNG folder
/// written at twice the model's resolution (so every read decodes and resizes), read with and without the in-memory
/// cache, with the spec's augmentation and with the full DiffAugment policy. Compare each row with the training rate:
/// during training the pipeline shares the cores with the step, so it must be several times faster than the step.
/// </summary>
public static class DataPipelineThroughput
{
    public static DataPipelineResult Run(IGanSpec spec, int batch, int batches, int prefetch = 4, int seed = 0)
    {
        var augmentation = new AugmentationOptions(
            CropProbability: spec.Training.Augmentation.CropProbability,
            Colour: spec.Training.Augmentation.Colour,
            Translation: spec.Training.Augmentation.Translation);
        var full = new AugmentationOptions(CropProbability: 1.0, Colour: true, Translation: true);
        int count = Math.Max(batch * (batches + prefetch + 1), 64);
        var rows = new List<DataPipelineRow>();

        var synthetic = DataSet.Synthetic(spec, count, seed, percentile: 0);
        rows.Add(Through("built-in synthetic set", "first epoch: draw + augment (spec)", synthetic, batch, batches, prefetch, augmentation, seed));
        rows.Add(Through("built-in synthetic set", "later epochs: kept images + augment (spec)", synthetic, batch, batches, prefetch, augmentation, seed));

        string folder = Path.Combine(Path.GetTempPath(), "attributegan-bench-" + Guid.NewGuid().ToString("N"));
        try
        {
            int written = 2 * spec.Resolution;
            var clock = Stopwatch.StartNew();
            SyntheticDataSet.Write(spec.Attributes, folder, count, written, seed);
            clock.Restart();
            var uncached = DataSet.Load(folder, spec, new DataSetOptions(Percentile: 0, CacheBytes: 0));
            rows.Add(new DataPipelineRow($"PNG folder ({written}² files)", "load: check + decode + resize every file (parallel)", count, clock.Elapsed.TotalSeconds));
            rows.Add(Through($"PNG folder ({written}² files)", "decode + resize + augment (spec), no cache", uncached, batch, batches, prefetch, augmentation, seed));

            var cached = DataSet.Load(folder, spec, new DataSetOptions(Percentile: 0));
            rows.Add(Through($"PNG folder ({written}² files)", "cached + augment (spec)", cached, batch, batches, prefetch, augmentation, seed));
            rows.Add(Through($"PNG folder ({written}² files)", "cached + crop, colour, translation", cached, batch, batches, prefetch, full, seed));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
        return new DataPipelineResult(spec.Name, batch, prefetch, rows);
    }

    /// <summary>
    /// Time from creating a loader to holding <paramref name="batches"/> batches as tensors, the way training takes them;
    /// one batch through a loader without prefetch first pays for JIT, so the timed loader starts with nothing done.
    /// </summary>
    private static DataPipelineRow Through(string source, string work, DataSet data, int batch, int batches, int prefetch, AugmentationOptions augmentation, int seed)
    {
        using (var warm = new BatchLoader(data, batch, seed, augmentation, prefetch: 0))
        using (warm.Next())
        {
        }

        var clock = Stopwatch.StartNew();
        using var loader = new BatchLoader(data, batch, seed, augmentation, startBatch: 1, prefetch: prefetch);
        for (int i = 0; i < batches; i++)
        {
            using var taken = loader.Next();
        }
        return new DataPipelineRow(source, work, batches * batch, clock.Elapsed.TotalSeconds);
    }
}
