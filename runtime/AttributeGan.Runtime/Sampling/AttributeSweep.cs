using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// Images generated with one attribute varied while the other attributes stay at base levels and each noise column
/// stays fixed: what <see cref="AttributeGrid"/> and <see cref="InterpolationWalk"/> share. Owns its images tensor.
/// </summary>
public abstract class AttributeSweep : IDisposable
{
    private readonly Tensor images;

    private protected AttributeSweep(Tensor images, string attribute, string description)
    {
        this.images = images;
        Attribute = attribute;
        Description = description;
    }

    /// <summary>The varied attribute's spec name.</summary>
    public string Attribute { get; }

    /// <summary>A one-line caption: the varied attribute, the fixed ones and the seed.</summary>
    public string Description { get; }

    public void Dispose() => images.Dispose();

    /// <summary>Refuses base levels that are not one valid level per attribute, and noise that is not (columns, latent).</summary>
    internal static void Validate(IGanSpec spec, IReadOnlyList<int> baseLevels, Tensor noise)
    {
        ValidateBaseLevels(spec.Attributes, baseLevels);
        if (noise.dim() != 2 || noise.shape[1] != spec.LatentSize)
            throw new ArgumentException($"Noise must be (columns, {spec.LatentSize}), got ({string.Join(", ", noise.shape)}).", nameof(noise));
    }

    internal static void ValidateBaseLevels(AttributeLayout layout, IReadOnlyList<int> baseLevels)
    {
        if (baseLevels.Count != layout.Count)
            throw new ArgumentException(
                $"Expected {layout.Count} base levels, one per attribute ({string.Join(", ", layout.Attributes.Select(a => a.Name))}), got {baseLevels.Count}.",
                nameof(baseLevels));
        for (int i = 0; i < layout.Count; i++)
            if ((uint)baseLevels[i] >= (uint)layout.Attributes[i].Levels.Count)
                throw new ArgumentException(
                    $"Base level {baseLevels[i]} of '{layout.Attributes[i].Name}' is outside 0..{layout.Attributes[i].Levels.Count - 1} ({string.Join(", ", layout.Attributes[i].Levels)}).",
                    nameof(baseLevels));
    }

    /// <summary>The attribute vector of <paramref name="baseLevels"/> with attribute <paramref name="varied"/> at <paramref name="level"/>.</summary>
    internal static AttributeVector Encode(AttributeLayout layout, IReadOnlyList<int> baseLevels, int varied, int level)
    {
        var levels = baseLevels.ToArray();
        levels[varied] = level;
        return layout.Encode(levels);
    }

    /// <summary>"spec: <paramref name="what"/>; the fixed attributes' levels; the noise".</summary>
    internal static string Describe(IGanSpec spec, string what, IReadOnlyList<int> baseLevels, int varied, string? noiseDescription)
    {
        var layout = spec.Attributes;
        string fixedPart = string.Join(", ", Enumerable.Range(0, layout.Count).Where(i => i != varied)
            .Select(i => $"{layout.Attributes[i].Name} = {layout.Attributes[i].Levels[baseLevels[i]]}"));
        return $"{spec.Name}: {what}" + (fixedPart.Length > 0 ? $"; {fixedPart}" : "") + (noiseDescription is null ? "" : $"; {noiseDescription}");
    }
}
