using System.Collections.Generic;

namespace AttributeGan.Models;

/// <summary>
/// What a compiled spec tells the runtime. The source generator emits one implementation per YAML spec
/// (<c>&lt;Name&gt;Spec.Instance</c>); every number here was computed at build time from the resolved spec.
/// </summary>
public interface IGanSpec
{
    /// <summary>The spec's <c>name:</c>, a C# identifier.</summary>
    string Name { get; }

    /// <summary>The YAML file the spec was compiled from, relative to the project (for messages).</summary>
    string SourceFile { get; }

    /// <summary>Hex digest of the resolved spec (after <c>base:</c> merging); checkpoints store it.</summary>
    string SpecHash { get; }

    /// <summary>The resolved spec in a canonical, comment-free YAML-like form (what the hash covers).</summary>
    string CanonicalSpec { get; }

    int Resolution { get; }
    int ImageChannels { get; }
    int LatentSize { get; }
    AttributeLayout Attributes { get; }
    DiscriminatorHeadLayout Heads { get; }
    LossSettings Losses { get; }
    TrainingSettings Training { get; }

    long GeneratorParameters { get; }
    long DiscriminatorParameters { get; }

    /// <summary>Multiply-accumulates per image of one generator forward pass (convolutions, linear layers, attention products, blur).</summary>
    long GeneratorMacsPerImage { get; }

    /// <summary>Multiply-accumulates per image of one discriminator forward pass with every head.</summary>
    long DiscriminatorMacsPerImage { get; }

    IReadOnlyList<LayerShape> GeneratorLayers { get; }
    IReadOnlyList<LayerShape> DiscriminatorLayers { get; }

    GanGenerator CreateGenerator();
    GanDiscriminator CreateDiscriminator();
}
