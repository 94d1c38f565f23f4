using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AttributeGan.Models;
using SkiaSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// A walk from one level of an attribute to another: step k uses the attribute vector
/// Lerp(from, to, k / (steps − 1)) with every other attribute fixed, and every step reuses the same noise per
/// column, so only the attribute changes along a row of the strip. Owns <see cref="Frames"/>.
/// </summary>
public sealed class InterpolationWalk : AttributeSweep
{
    internal InterpolationWalk(Tensor frames, string attribute, string fromLevel, string toLevel, IReadOnlyList<float> fractions, string description)
        : base(frames, attribute, description)
    {
        Frames = frames;
        FromLevel = fromLevel;
        ToLevel = toLevel;
        Fractions = fractions;
        StepLabels = fractions.Select(StepLabel).ToArray();
    }

    /// <summary>(steps, columns, C, R, R) float on the CPU: frame k, noise column c.</summary>
    public Tensor Frames { get; }

    public int Steps => (int)Frames.shape[0];

    public int Columns => (int)Frames.shape[1];

    public string FromLevel { get; }

    public string ToLevel { get; }

    /// <summary>t of each step, from 0 (the from-level) to 1 (the to-level).</summary>
    public IReadOnlyList<float> Fractions { get; }

    /// <summary>"mild", "mild 0.25 → severe", …, "severe".</summary>
    public IReadOnlyList<string> StepLabels { get; }

    /// <summary>Step <paramref name="step"/>'s images, (columns, C, R, R); a view into <see cref="Frames"/>.</summary>
    public Tensor Frame(int step) => Frames[step];

    /// <summary>The strip: one row per noise column, one column per step, steps labelled on top.</summary>
    public SKBitmap RenderStrip(string? title = null)
    {
        using var scope = NewDisposeScope();
        var byNoise = Frames.transpose(0, 1).reshape(Columns * Steps, Frames.shape[2], Frames.shape[3], Frames.shape[4]); // (columns·steps, C, R, R)
        var rowLabels = Enumerable.Range(1, Columns).Select(c => $"noise {c}").ToArray();
        return GridImage.Render(byNoise, Columns, Steps, rowLabels, title ?? Description, StepLabels);
    }

    /// <summary>One bitmap per step (the noise columns side by side), captioned with the step's label.</summary>
    public IReadOnlyList<SKBitmap> RenderFrames()
    {
        using var scope = NewDisposeScope();
        var blank = new string[] { "" };
        return Enumerable.Range(0, Steps)
            .Select(k => GridImage.Render(Frames[k], 1, Columns, blank, $"{Attribute}: {StepLabels[k]}"))
            .ToArray();
    }

    /// <summary>The walk as an animated GIF that loops forever (written atomically).</summary>
    public void SaveGif(string path, int frameDelayMs = 250)
    {
        var frames = RenderFrames();
        try
        {
            GifWriter.Save(frames, path, frameDelayMs);
        }
        finally
        {
            foreach (var frame in frames) frame.Dispose();
        }
    }

    /// <summary>The strip as a PNG (written atomically).</summary>
    public void SaveStrip(string path, string? title = null)
    {
        using var strip = RenderStrip(title);
        strip.SavePng(path);
    }

    private string StepLabel(float t) => t switch
    {
        0f => FromLevel,
        1f => ToLevel,
        _ => $"{FromLevel} {t.ToString("0.##", CultureInfo.InvariantCulture)} → {ToLevel}",
    };
}

/// <summary>Attribute interpolation (smooth walks between levels of one attribute).</summary>
public static class Interpolation
{
    /// <summary>
    /// Walks <paramref name="attribute"/> from <paramref name="fromLevel"/> to <paramref name="toLevel"/> in
    /// <paramref name="steps"/> steps (≥ 2, both ends included) for <paramref name="columns"/> noise vectors drawn from a
    /// generator seeded by <paramref name="seed"/>; the other attributes stay at <paramref name="baseLevels"/>. An unknown
    /// attribute or level throws an <see cref="ArgumentException"/> listing the valid names. The generator must already
    /// be on <paramref name="device"/>.
    /// </summary>
    public static InterpolationWalk Walk(
        GanGenerator generator, IGanSpec spec, string attribute, string fromLevel, string toLevel,
        int steps, IReadOnlyList<int> baseLevels, int columns, int seed, Device device)
    {
        using var noise = GeneratorBatches.Noise(spec.LatentSize, columns, seed);    // (columns, latent)
        return Walk(generator, spec, attribute, fromLevel, toLevel, steps, baseLevels, noise, device, $"seed {seed}");
    }

    /// <summary>The same with caller-supplied noise (columns, latent).</summary>
    public static InterpolationWalk Walk(
        GanGenerator generator, IGanSpec spec, string attribute, string fromLevel, string toLevel,
        int steps, IReadOnlyList<int> baseLevels, Tensor noise, Device device, string? noiseDescription = null)
    {
        var layout = spec.Attributes;
        int varied = layout.IndexOf(attribute);
        var definition = layout.Attributes[varied];
        int from = definition.LevelIndex(fromLevel), to = definition.LevelIndex(toLevel);   // both throw naming the levels
        if (from == to) throw new ArgumentException($"The walk starts and ends at '{definition.Levels[from]}'; choose two different levels of '{definition.Name}' ({string.Join(", ", definition.Levels)}).", nameof(toLevel));
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "A walk needs at least 2 steps (both ends).");
        AttributeSweep.Validate(spec, baseLevels, noise);

        var start = AttributeSweep.Encode(layout, baseLevels, varied, from);
        var end = AttributeSweep.Encode(layout, baseLevels, varied, to);
        // t = k / (steps − 1): exactly 0 and 1 at the ends, so the end frames are the plain one-hot samples.
        var fractions = Enumerable.Range(0, steps).Select(k => k == steps - 1 ? 1f : k / (float)(steps - 1)).ToArray();
        var rows = fractions.Select(t => AttributeVector.Lerp(start, end, t)).ToArray();

        using var images = GeneratorBatches.Generate(generator, noise, rows, device);           // (steps·columns, C, R, R)
        var frames = images.view(steps, noise.shape[0], images.shape[1], images.shape[2], images.shape[3]); // (steps, columns, C, R, R)
        string description = AttributeSweep.Describe(spec, $"{definition.Name} {definition.Levels[from]} → {definition.Levels[to]}", baseLevels, varied, noiseDescription);
        return new InterpolationWalk(frames, definition.Name, definition.Levels[from], definition.Levels[to], fractions, description);
    }
}
