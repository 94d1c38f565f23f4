using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using SkiaSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// A sampled attribute grid (the paper's Fig. 2): one row per level of the varied attribute, one column per noise
/// vector. Owns <see cref="Images"/>.
/// </summary>
public sealed class AttributeGrid : AttributeSweep
{
    internal AttributeGrid(Tensor images, int rows, int columns, string attribute, IReadOnlyList<string> rowLabels, string description)
        : base(images, attribute, description)
    {
        Images = images;
        Rows = rows;
        Columns = columns;
        RowLabels = rowLabels;
    }

    /// <summary>(rows·columns, C, R, R) float on the CPU, row-major: image r·Columns + c is level r with noise c.</summary>
    public Tensor Images { get; }

    public int Rows { get; }

    public int Columns { get; }

    /// <summary>The varied attribute's level names, one per row.</summary>
    public IReadOnlyList<string> RowLabels { get; }

    /// <summary>The image at (row, column), (C, R, R); a view into <see cref="Images"/>.</summary>
    public Tensor At(int row, int column) => Images[row * Columns + column];

    /// <summary>The labelled grid; <paramref name="title"/> defaults to <see cref="Description"/>.</summary>
    public SKBitmap Render(string? title = null) => GridImage.Render(Images, Rows, Columns, RowLabels, title ?? Description);
}

/// <summary>Samples attribute grids: vary one attribute over its levels, keep the others and the noise fixed.</summary>
public static class AttributeGridSampler
{
    /// <summary>
    /// One row per level of <paramref name="attribute"/> (other attributes at <paramref name="baseLevels"/>; the varied
    /// attribute's own entry there is ignored), one column per noise vector drawn from a generator seeded by
    /// <paramref name="seed"/> and shared down the column. The generator must already be on <paramref name="device"/>.
    /// </summary>
    public static AttributeGrid Sample(GanGenerator generator, IGanSpec spec, string attribute, IReadOnlyList<int> baseLevels, int columns, int seed, Device device)
    {
        using var noise = GeneratorBatches.Noise(spec.LatentSize, columns, seed);      // (columns, latent)
        return Sample(generator, spec, attribute, baseLevels, noise, device, $"seed {seed}");
    }

    /// <summary>The same with caller-supplied noise (columns, latent): the seam tests use to control the noise.</summary>
    public static AttributeGrid Sample(GanGenerator generator, IGanSpec spec, string attribute, IReadOnlyList<int> baseLevels, Tensor noise, Device device, string? noiseDescription = null)
    {
        var layout = spec.Attributes;
        int varied = layout.IndexOf(attribute);                                          // throws naming the valid attributes
        var definition = layout.Attributes[varied];
        AttributeSweep.Validate(spec, baseLevels, noise);

        var rows = new List<AttributeVector>(definition.Levels.Count);
        for (int level = 0; level < definition.Levels.Count; level++)
            rows.Add(AttributeSweep.Encode(layout, baseLevels, varied, level));

        var images = GeneratorBatches.Generate(generator, noise, rows, device);          // (levels·columns, C, R, R)
        string description = AttributeSweep.Describe(spec, $"{definition.Name} varied", baseLevels, varied, noiseDescription);
        return new AttributeGrid(images, definition.Levels.Count, (int)noise.shape[0], definition.Name, definition.Levels.ToArray(), description);
    }

    /// <summary>
    /// Level indices for every attribute from level names, e.g. "mitosis=rare"; unnamed attributes take their level in
    /// <paramref name="defaults"/> (a run's <see cref="Checkpoints.RunManifest.FrequentLevels"/>, what its training grids
    /// fix them at), or level 0 without it.
    /// </summary>
    public static int[] BaseLevels(IGanSpec spec, IReadOnlyDictionary<string, string>? levels = null, IReadOnlyList<int>? defaults = null)
    {
        var layout = spec.Attributes;
        var result = new int[layout.Count];
        if (defaults is not null)
        {
            AttributeSweep.ValidateBaseLevels(layout, defaults);
            for (int i = 0; i < result.Length; i++) result[i] = defaults[i];
        }
        if (levels is null) return result;
        foreach (var (name, level) in levels)
        {
            int index = layout.IndexOf(name);
            result[index] = layout.Attributes[index].LevelIndex(level);
        }

        return result;
    }
}
