using System.Collections.Generic;
using AttributeGan.Models;
using AttributeGan.Models.Specs;

namespace AttributeGan.HandWritten;

/// <summary>
/// The compiled AttributeGan64 spec with the hand-written networks in place of the generated ones, so the same
/// <c>GanTrainingState</c>/<c>GanStep</c> (losses, Adam, EMA, initialisation) trains either. Only the networks differ.
/// </summary>
public sealed class HandWrittenSpec(HandWrittenOps ops) : IGanSpec
{
    private static readonly IGanSpec Compiled = AttributeGan64Spec.Instance;

    public HandWrittenOps Ops { get; } = ops;

    public string Name => Compiled.Name;
    public string SourceFile => Compiled.SourceFile;
    public string SpecHash => Compiled.SpecHash;
    public string CanonicalSpec => Compiled.CanonicalSpec;
    public int Resolution => Compiled.Resolution;
    public int ImageChannels => Compiled.ImageChannels;
    public int LatentSize => Compiled.LatentSize;
    public AttributeLayout Attributes => Compiled.Attributes;
    public DiscriminatorHeadLayout Heads => Compiled.Heads;
    public LossSettings Losses => Compiled.Losses;
    public TrainingSettings Training => Compiled.Training;
    public long GeneratorParameters => Compiled.GeneratorParameters;
    public long DiscriminatorParameters => Compiled.DiscriminatorParameters;
    public long GeneratorMacsPerImage => Compiled.GeneratorMacsPerImage;
    public long DiscriminatorMacsPerImage => Compiled.DiscriminatorMacsPerImage;
    public IReadOnlyList<LayerShape> GeneratorLayers => Compiled.GeneratorLayers;
    public IReadOnlyList<LayerShape> DiscriminatorLayers => Compiled.DiscriminatorLayers;

    public GanGenerator CreateGenerator() => new HandWrittenGenerator(this, Ops);

    public GanDiscriminator CreateDiscriminator() => new HandWrittenDiscriminator(this, Ops);
}
