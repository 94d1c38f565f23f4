using System.Linq;
using AttributeGan.Models;

namespace AttributeGan.Benchmarks;

/// <summary>
/// Model FLOPs of one training step, from the compile-time multiply-accumulate tables of a spec (convolutions, linear
/// layers, attention products and blur; element-wise work such as normalisation, activations, losses and Adam is not
/// counted). The discriminator's table splits by <see cref="LayerRole"/>: trunk and conditioning layers (<c>Dt</c>, every
/// pass), the contrastive heads (<c>Dc</c>) and the reconstruction decoders (<c>Dr</c>). The auxiliary classifier's
/// one linear map (C·A MACs, under 0.01 % of any shipped discriminator) is counted with the trunk.
/// <para>What a step of <c>GanStep</c> must compute, per image, with backward = 2 × forward (gradients with respect to
/// the inputs and to the weights) for a network whose weights the backward pass trains, and 1 × forward for a network
/// the gradient only passes through:</para>
/// <list type="bullet">
/// <item>discriminator step: G forward without gradients (G); D forward on reals with its heads (Dt + Dc + Dr) and on fakes
/// (Dt); backward of both D passes, 2 × (2·Dt + Dc + Dr);</item>
/// <item>generator step: G forward (G); D forward on fakes with the contrastive head (Dt + Dc); the gradient back
/// through D to the images, 1 × (Dt + Dc), D's weights are not trained here; backward of G, 2·G.</item>
/// </list>
/// Total: MACs/image = 4·G + 8·Dt + 5·Dc + 3·Dr (a head whose loss weight is 0 drops out as the step skips it),
/// FLOPs = 2 × MACs, and model FLOP utilisation = FLOPs/image × images/s ÷ the measured float32 matmul FLOP/s.
/// </summary>
public sealed record ModelFlops(long Generator, long DiscriminatorTrunk, long DiscriminatorContrastive, long DiscriminatorReconstruction,
    bool ContrastiveInDiscriminatorStep, bool ContrastiveInGeneratorStep, bool Reconstruction)
{
    public const string Formula = "MACs/image = 4·G + 8·Dt + 5·Dc + 3·Dr; FLOPs = 2·MACs; MFU = FLOPs/image × images/s ÷ matmul FLOP/s";

    public static ModelFlops Of(IGanSpec spec)
    {
        long Sum(System.Func<LayerShape, bool> which) => spec.DiscriminatorLayers.Where(which).Sum(l => l.MacsPerImage);
        bool IsContrastive(LayerShape l) => l.Role == LayerRole.Contrastive;
        bool IsReconstruction(LayerShape l) => l.Role == LayerRole.Reconstruction;
        var losses = spec.Losses;
        return new ModelFlops(
            spec.GeneratorMacsPerImage,
            Sum(l => !IsContrastive(l) && !IsReconstruction(l)),
            Sum(IsContrastive),
            Sum(IsReconstruction),
            losses.ContrastiveDiscriminator > 0,
            losses.ContrastiveGenerator > 0,
            losses.Reconstruction > 0 && spec.Heads.ReconstructionResolutions.Count > 0);
    }

    /// <summary>Multiply-accumulates per image of the discriminator step (see the class summary).</summary>
    public long DiscriminatorStepMacs
    {
        get
        {
            long real = DiscriminatorTrunk + (ContrastiveInDiscriminatorStep ? DiscriminatorContrastive : 0) + (Reconstruction ? DiscriminatorReconstruction : 0);
            long fake = DiscriminatorTrunk;
            return Generator + 3 * (real + fake);
        }
    }

    /// <summary>Multiply-accumulates per image of the generator step (see the class summary).</summary>
    public long GeneratorStepMacs
    {
        get
        {
            long judged = DiscriminatorTrunk + (ContrastiveInGeneratorStep ? DiscriminatorContrastive : 0);
            return 3 * Generator + 2 * judged;
        }
    }

    public long TrainingMacsPerImage => DiscriminatorStepMacs + GeneratorStepMacs;

    public double TrainingFlopsPerImage => 2.0 * TrainingMacsPerImage;

    /// <summary>Forward-only sampling: one generator pass.</summary>
    public double SamplingFlopsPerImage => 2.0 * Generator;

    /// <summary>Fraction of the matmul rate the training step turns into model FLOPs.</summary>
    public double TrainingUtilisation(double imagesPerSecond, double matmulGflops) => TrainingFlopsPerImage * imagesPerSecond / (matmulGflops * 1e9);

    public double SamplingUtilisation(double imagesPerSecond, double matmulGflops) => SamplingFlopsPerImage * imagesPerSecond / (matmulGflops * 1e9);
}
