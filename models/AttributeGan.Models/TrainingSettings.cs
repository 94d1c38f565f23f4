namespace AttributeGan.Models;

/// <summary>
/// Exponential moving average of the generator: updated every <see cref="Every"/> steps from <see cref="Start"/> on,
/// with decay <see cref="DecayAt"/>(step). Without <see cref="Rampup"/> that is <see cref="Decay"/>; with it the
/// average's half-life is also at most <see cref="Rampup"/> × the steps trained so far (StyleGAN2-ADA's ramp-up), so a
/// short run's average follows its recent weights instead of lagging behind by a fixed number of steps.
/// </summary>
public sealed record EmaSettings(double Decay, int Start, int Every, double? Rampup = null)
{
    /// <summary>
    /// The decay of the update at <paramref name="step"/>: min(Decay, 0.5^(Every / (Rampup · step))). A decay d applied
    /// every k steps halves old weights' share in k·ln 0.5 / ln d steps, its half-life; the second term is the decay whose
    /// half-life is Rampup · step. At step 0 with a ramp-up the update is a copy (decay 0).
    /// </summary>
    public double DecayAt(long step)
    {
        if (Rampup is not { } rampup) return Decay;
        if (step <= 0) return 0;
        return System.Math.Min(Decay, System.Math.Pow(0.5, Every / (rampup * step)));
    }
}

/// <summary>Augmentation of real batches: random resized crop (scale 0.5–1) with a probability, DiffAugment colour and translation.</summary>
public sealed record AugmentationSettings(double CropProbability, bool Colour, bool Translation);

/// <summary>The differentiable augmentations of DiffAugment (Zhao et al. 2020), a set.</summary>
[System.Flags]
public enum DiffAugmentPolicy
{
    None = 0,

    /// <summary>Brightness ± 0.5, saturation × [0, 2], contrast × [0.5, 1.5].</summary>
    Colour = 1,

    /// <summary>A shift of up to 1/8 of the side per axis; vacated pixels zero.</summary>
    Translation = 2,

    /// <summary>A square of half the side set to zero at a random centre.</summary>
    Cutout = 4,
}

/// <summary>
/// <c>training.diff_augment</c>: every image the discriminator sees, real or generated, in both steps, is augmented with
/// the <see cref="Policy"/> with probability <see cref="Probability"/> (per image), through differentiable operations, so
/// the generator learns through the augmentation and the discriminator never sees un-augmented data only.
/// </summary>
public sealed record DiffAugmentSettings(DiffAugmentPolicy Policy, double Probability);

/// <summary>The training defaults of a spec: <c>training:</c>. The command line may override them.</summary>
public sealed record TrainingSettings(
    int Batch,
    int Steps,
    double LearningRate,
    double Beta1,
    double Beta2,
    EmaSettings Ema,
    int Seed,
    int CheckpointEvery,
    double CombinationPercentile,
    AugmentationSettings Augmentation,
    DiffAugmentSettings? DiffAugment = null);
