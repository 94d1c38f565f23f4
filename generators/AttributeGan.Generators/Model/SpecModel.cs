namespace AttributeGan.Generators.Model;

// The bound spec: plain, immutable, value-equal data with every default filled in. No locations, no Roslyn types.

internal enum NormChoice { None, Batch, LocalBatch }

/// <summary>Where the conditional contrastive loss takes its negatives from in data-parallel training.</summary>
internal enum NegativesChoice { GlobalBatch, LocalBatch }

internal enum OutputActivation { Tanh, None }

internal enum ProjectionChoice { Projection, Gate, None }

internal enum AdversarialChoice { Hinge }

/// <summary>How the projection discriminator pools the features it takes the inner product with.</summary>
internal enum PoolingChoice { Mean, Sum }

/// <summary>The gradient penalty on real images: R1 (‖∇D‖²) or one-centred ((‖∇D‖ − 1)²).</summary>
internal enum PenaltyChoice { R1, OneCentred }

/// <summary>The differentiable augmentations of DiffAugment (a set).</summary>
[System.Flags]
internal enum AugmentPolicyChoice { None = 0, Colour = 1, Translation = 2, Cutout = 4 }

/// <summary>The generator's stage block: the paper's GLU up block, or BigGAN's residual block with class-conditional batch norm.</summary>
internal enum GeneratorBlockChoice { Glu, Residual }

/// <summary>The discriminator's stage block and head: strided down blocks with patch logits, or BigGAN's residual blocks with one pooled logit.</summary>
internal enum DiscriminatorBlockChoice { Strided, Residual }

internal sealed record ImageSpec(int Resolution, int Channels);

internal sealed record AttributeSpec(string Name, EquatableArray<string> Levels);

internal sealed record StageSpec(int Resolution, int Channels);

/// <summary>Which attention block a network's <c>attention</c> builds.</summary>
internal enum AttentionKindChoice { Efficient, DotProduct }

/// <summary>Attention after the stages at <see cref="At"/> (efficient unless <see cref="Kind"/> says dot-product); null dims mean channels / heads.</summary>
internal sealed record AttentionSpec(EquatableArray<int> At, int Heads, int? KeyDim, int? ValueDim, AttentionKindChoice Kind)
{
    public int KeyDimFor(int channels) => KeyDim ?? channels / Heads;

    public int ValueDimFor(int channels) => ValueDim ?? channels / Heads;
}

internal sealed record SkipLinkSpec(int From, int To);

internal sealed record InitialSpec(int Resolution, int Channels, int AttributeChannels);

internal sealed record GeneratorSpec(
    InitialSpec Initial,
    NormChoice Norm,
    bool Blur,
    EquatableArray<StageSpec> Stages,
    AttentionSpec? Attention,
    EquatableArray<SkipLinkSpec> SkipExcitation,
    OutputActivation Output,
    bool NoiseInjection,
    GeneratorBlockChoice Block,
    bool SpectralNorm);

internal sealed record ContrastiveSpec(int At, int Dim, double Temperature);

internal sealed record ReconstructionSpec(EquatableArray<int> At, int Size);

/// <summary>The auxiliary attribute classifier (AC-GAN): it reads the discriminator's features at <see cref="At"/>×<see cref="At"/>.</summary>
internal sealed record ClassifierSpec(int At);

internal sealed record DiscriminatorSpec(
    int InputChannels,
    bool Blur,
    EquatableArray<StageSpec> Stages,
    AttentionSpec? Attention,
    ProjectionChoice Projection,
    ContrastiveSpec? Contrastive,
    ReconstructionSpec? Reconstruction,
    PoolingChoice ProjectionPooling,
    bool SpectralNorm,
    int MinibatchStd,
    DiscriminatorBlockChoice Block,
    ClassifierSpec? Classifier);

/// <summary>A gradient penalty on real images, added to the discriminator's loss every <see cref="Every"/> steps.</summary>
internal sealed record GradientPenaltySpec(PenaltyChoice Kind, double Weight, int Every);

internal sealed record LossSpec(
    AdversarialChoice Adversarial,
    double Reconstruction,
    double ContrastiveDiscriminator,
    double ContrastiveGenerator,
    NegativesChoice ContrastiveNegatives,
    GradientPenaltySpec? GradientPenalty,
    double ClassificationDiscriminator,
    double ClassificationGenerator);

internal sealed record EmaSpec(double Decay, int Start, int Every, double? Rampup = null);

/// <summary>Augmentation of real batches: random resized crop with probability <see cref="Crop"/>, DiffAugment colour and translation.</summary>
internal sealed record AugmentationSpec(double Crop, bool Colour, bool Translation);

/// <summary>DiffAugment: each image the discriminator sees, real or generated, augmented with <see cref="Probability"/>.</summary>
internal sealed record DiffAugmentSpec(AugmentPolicyChoice Policy, double Probability);

internal sealed record TrainingSpec(
    int Batch,
    int Steps,
    double LearningRate,
    double Beta1,
    double Beta2,
    EmaSpec Ema,
    int Seed,
    int CheckpointEvery,
    double CombinationPercentile,
    AugmentationSpec Augmentation,
    DiffAugmentSpec? DiffAugment);

internal sealed record SpecModel(
    string Name,
    string FileName,
    string CanonicalText,
    string Hash,
    ImageSpec Image,
    int Latent,
    EquatableArray<AttributeSpec> Attributes,
    GeneratorSpec Generator,
    DiscriminatorSpec Discriminator,
    LossSpec Losses,
    TrainingSpec Training)
{
    public int AttributeWidth
    {
        get
        {
            int width = 0;
            foreach (var attribute in Attributes) width += attribute.Levels.Count;
            return width;
        }
    }
}
