using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime.Data;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// How much an attribute grid varies: <see cref="Noise"/>, the per-pixel standard deviation across the noise vectors of a
/// row (one level), and <see cref="Attribute"/>, across the levels of a column (one noise vector), each averaged over
/// pixels, channels and rows (columns). Pixel values in [0, 1], as in the PNG. A generator that ignores its noise has a
/// noise spread near 0; one that ignores the attribute, an attribute spread near 0.
/// </summary>
public sealed record GridSpread(double Noise, double Attribute)
{
    /// <summary>The spreads of (rows·columns, C, R, R) images in [−1, 1], row-major (image r·columns + c).</summary>
    public static GridSpread Of(Tensor images, int rows, int columns)
    {
        if (images.dim() != 4 || images.shape[0] != (long)rows * columns)
            throw new ArgumentException($"Expected ({rows}·{columns}, C, R, R) images, got ({string.Join(", ", images.shape)}).", nameof(images));
        if (rows < 2 && columns < 2) throw new ArgumentException("A spread needs at least two rows or two columns.", nameof(rows));
        using var scope = NewDisposeScope();
        var unit = images.detach().to(ScalarType.Float64).mul(Scalars.Of(0.5)).add(Scalars.Of(0.5), Scalars.One); // (r·c, C, R, R) in [0, 1]
        var grid = unit.view(rows, columns, -1);                                         // (r, c, C·R·R)
        double noise = columns < 2 ? 0 : grid.std(1, unbiased: false).mean().item<double>();
        double attribute = rows < 2 ? 0 : grid.std(0, unbiased: false).mean().item<double>();
        return new GridSpread(noise, attribute);
    }

    public static GridSpread Of(AttributeGrid grid) => Of(grid.Images, grid.Rows, grid.Columns);

    /// <summary>
    /// The real data's counterpart of <see cref="Noise"/>: for each level of attribute <paramref name="attribute"/>, the
    /// per-pixel standard deviation across up to <paramref name="perLevel"/> real images of that level (drawn with
    /// <paramref name="seed"/>), averaged over levels with at least two images. What a generator's noise spread is held
    /// against: real images of one level differ in every other attribute and in their random layout.
    /// </summary>
    public static double RealNoiseSpread(DataSet data, int attribute, int perLevel, int seed)
    {
        var random = new Random(seed);
        var spreads = new List<double>();
        foreach (var group in data.Samples.Select((sample, index) => (sample, index)).GroupBy(s => s.sample.Levels[attribute]))
        {
            var chosen = group.OrderBy(_ => random.Next()).Take(perLevel).Select(s => s.index).ToArray();
            if (chosen.Length < 2) continue;
            using var scope = NewDisposeScope();
            int size = 3 * data.Resolution * data.Resolution;
            var values = new float[chosen.Length * size];
            for (int i = 0; i < chosen.Length; i++) data.Image(chosen[i]).CopyTo(values, i * size);      // (3, R, R) in [−1, 1]
            var images = tensor(values, new long[] { 1, chosen.Length, size }).to(ScalarType.Float64).mul(Scalars.Of(0.5)).add(Scalars.Of(0.5), Scalars.One);
            spreads.Add(images.std(1, unbiased: false).mean().item<double>());
        }
        return spreads.Count == 0 ? double.NaN : spreads.Average();
    }
}
