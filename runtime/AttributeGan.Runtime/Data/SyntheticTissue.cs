using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Runtime.Data;

/// <summary>One drawn patch: its pixels, the nuclei it shows (pixel coordinates) and the intensities it was drawn at.</summary>
public sealed class TissuePatch
{
    internal TissuePatch(int resolution, byte[] pixels, IReadOnlyList<Nucleus> nuclei, TissueIntensities intensities)
    {
        Resolution = resolution;
        Pixels = pixels;
        Nuclei = nuclei;
        Intensities = intensities;
    }

    public int Resolution { get; }

    /// <summary>(R, R, 3) bytes, row-major RGB, the layout PNG encoders take.</summary>
    public byte[] Pixels { get; }

    public IReadOnlyList<Nucleus> Nuclei { get; }

    public TissueIntensities Intensities { get; }

    /// <summary>The pixels as (3, R, R) float32 in [−1, 1], the model's input layout.</summary>
    public float[] ToChw() => ImageDecoding.RgbToChw(Pixels, Resolution);
}

/// <summary>
/// Procedural H&amp;E-like tissue with the paper's five attributes known by construction: pink stroma with collagen
/// fibres, an urothelium-like epithelial layer on a wavy basement line, purple nuclei with darker rims and
/// chromatin speckle. Same (intensities, seed) → byte-identical pixels at a given resolution, and the same
/// tissue at every resolution.
/// </summary>
public static class SyntheticTissue
{
    public const int MinResolution = 16;
    public const int MaxResolution = 512;

    public static TissuePatch Draw(TissueIntensities intensities, int resolution, ulong seed)
    {
        if (resolution < MinResolution || resolution > MaxResolution || (resolution & (resolution - 1)) != 0)
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"The synthetic tissue is drawn at a power of two from {MinResolution} to {MaxResolution}.");
        var scene = TissueSceneBuilder.Build(intensities, seed);
        var pixels = TissueRenderer.Render(scene, resolution);
        double scale = resolution / TissueScene.Field;
        var nuclei = scene.Nuclei.Select(n => n.Scaled(scale)).ToArray();
        return new TissuePatch(resolution, pixels, nuclei, intensities);
    }
}
