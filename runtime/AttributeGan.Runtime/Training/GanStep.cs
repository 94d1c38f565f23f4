using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Blocks;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// One training step: a discriminator step on real and generated images (hinge, reconstruction on reals,
/// conditional contrastive and attribute classification on reals, the gradient penalty on reals when due), then a
/// generator step (hinge, conditional contrastive and attribute classification on fakes conditioned on the real batch's
/// attributes), then the EMA update. With DiffAugment every image
/// the discriminator sees is augmented first. Everything it allocates lives in one dispose scope.
/// </summary>
/// <remarks>
/// On N ranks each rank runs this on its share of the global batch. Every random draw depends on the run seed,
/// the step and a sample's position in the global batch, never on the rank, and losses are per-rank means whose
/// gradients <see cref="DataParallel"/> averages: N ranks compute what one process computes on the whole batch.
/// </remarks>
public sealed class GanStep(GanTrainingState state, int seed, DataParallel? parallel = null)
{
    private readonly LossSettings weights = state.Spec.Losses;
    private readonly DiscriminatorHeadLayout heads = state.Spec.Heads;
    private readonly DataParallel parallel = parallel ?? new DataParallel(SingleProcessCollectives.Instance, state);
    private readonly DiffAugmentSettings? augment = state.Spec.Training.DiffAugment;
    private readonly GradientPenaltySettings? penalty = state.Spec.Losses.GradientPenalty;

    public StepLosses Run(TrainingBatch batch)
    {
        long step = state.Step;
        using var scope = NewDisposeScope();
        var device = batch.Images.device;
        long size = batch.Images.shape[0];
        long offset = parallel.Rank * size;                                              // first global position of this share
        bool reconstruct = weights.Reconstruction > 0 && heads.ReconstructionResolutions.Count > 0;
        int quadrant = (int)(StepSeeds.For(seed, step, 0, StepSeeds.Quadrant) % 4);

        // Discriminator step.
        state.Generator.train();
        state.Discriminator.train();
        state.DiscriminatorOptimizer.zero_grad();
        // The gradient penalty differentiates D twice; its first pass would fire the markers that start buckets during
        // backward, so on its steps the gradients are averaged after backward instead.
        bool penalised = GradientPenalty.Due(penalty, step);
        if (!penalised) parallel.Discriminator.Arm();
        Tensor fake;
        using (no_grad())
            fake = state.Generator.call(Noise(size, offset, step, StepSeeds.NoiseForDiscriminator, device), batch.Attributes); // (b, C, R, R)
        var realImages = Augment(batch.Images, step, offset, StepSeeds.AugmentRealForDiscriminator);          // (b, C, R, R)
        fake = Augment(fake, step, offset, StepSeeds.AugmentFakeForDiscriminator);
        var real = state.Discriminator.call(realImages, batch.Attributes,
            new DiscriminatorHeads(Contrastive: weights.ContrastiveDiscriminator > 0, Reconstruction: reconstruct, Quadrant: quadrant,
                Classifier: weights.ClassificationDiscriminator > 0));
        var fakeLogits = state.Discriminator.call(fake, batch.Attributes, DiscriminatorHeads.LogitsOnly).Logits; // (b, P)

        var dAdversarial = AdversarialLosses.Discriminator(real.Logits, fakeLogits);
        var reconstruction = reconstruct
            ? ReconstructionLoss.Compute(real.Reconstructions, realImages, heads.ReconstructionResolutions, heads.ReconstructionSize, quadrant)
            : Zero(device);
        var dContrastive = weights.ContrastiveDiscriminator > 0 ? Contrastive(real, batch.Labels) : Zero(device);
        var dClassification = weights.ClassificationDiscriminator > 0 ? Classification(real, batch.Attributes) : Zero(device);
        var dLoss = dAdversarial.add(reconstruction.mul(Scalars.Of(weights.Reconstruction)), Scalars.One)
            .add(dContrastive.mul(Scalars.Of(weights.ContrastiveDiscriminator)), Scalars.One)
            .add(dClassification.mul(Scalars.Of(weights.ClassificationDiscriminator)), Scalars.One);
        if (penalised)
        {
            var penaltyTerm = GradientPenalty.Compute(state.Discriminator, realImages, batch.Attributes, penalty!.Kind);
            dLoss = dLoss.add(penaltyTerm.mul(Scalars.Of(penalty.Weight)), Scalars.One);
        }
        dLoss.backward();
        SynchronisedBatchNorm2d.ThrowIfAnyBackwardFailed(state.Discriminator);
        parallel.Discriminator.Average();
        state.DiscriminatorOptimizer.step();

        // Generator step: fakes conditioned on the real batch's attributes. D is frozen until the step ends: its
        // weights are not trained here, so their gradients are skipped (the gradient still reaches the fakes).
        using var frozen = FrozenParameters.Of(state.Discriminator);
        state.GeneratorOptimizer.zero_grad();
        parallel.Generator.Arm();
        var generated = Augment(state.Generator.call(Noise(size, offset, step, StepSeeds.NoiseForGenerator, device), batch.Attributes),
            step, offset, StepSeeds.AugmentFakeForGenerator);
        var judged = state.Discriminator.call(generated, batch.Attributes,
            new DiscriminatorHeads(Contrastive: weights.ContrastiveGenerator > 0, Classifier: weights.ClassificationGenerator > 0));
        var gAdversarial = AdversarialLosses.Generator(judged.Logits);
        var gContrastive = weights.ContrastiveGenerator > 0 ? Contrastive(judged, batch.Labels) : Zero(device);
        var gClassification = weights.ClassificationGenerator > 0 ? Classification(judged, batch.Attributes) : Zero(device);
        var gLoss = gAdversarial.add(gContrastive.mul(Scalars.Of(weights.ContrastiveGenerator)), Scalars.One)
            .add(gClassification.mul(Scalars.Of(weights.ClassificationGenerator)), Scalars.One);
        gLoss.backward();
        SynchronisedBatchNorm2d.ThrowIfAnyBackwardFailed(state.Generator);
        SynchronisedBatchNorm2d.ThrowIfAnyBackwardFailed(state.Discriminator);
        parallel.Generator.Average();
        state.GeneratorOptimizer.step();

        state.Step = step + 1;
        state.Ema.Update(state.Step);

        var local = new StepLosses(dAdversarial.item<float>(), reconstruction.item<float>(), dContrastive.item<float>(), gAdversarial.item<float>(), gContrastive.item<float>(),
            dClassification.item<float>(), gClassification.item<float>());
        var losses = parallel.Average(local);
        NonFiniteGuard.Check(state.Step, losses.Named().Select(l => new KeyValuePair<string, double>(l.Key, l.Value)));
        return losses;
    }

    private Tensor Contrastive(DiscriminatorOutput output, Tensor labels)
    {
        var global = parallel.GlobalBatch(output.Embedding!, labels, weights.ContrastiveNegatives);
        return ConditionalContrastiveLoss.Compute(output.Embedding!, output.AttributeEmbedding!, labels, heads.ContrastiveTemperature, global);
    }

    private Tensor Classification(DiscriminatorOutput output, Tensor attributes) =>
        AttributeClassificationLoss.Compute(output.AttributeLogits!, attributes, state.Spec.Attributes);

    /// <summary>DiffAugment of this share's images, each seeded by (run seed, step, global position, stream); the images themselves without it.</summary>
    private Tensor Augment(Tensor images, long step, long offset, int stream)
    {
        if (augment is null) return images;
        var seeds = new ulong[images.shape[0]];
        for (int i = 0; i < seeds.Length; i++) seeds[i] = (ulong)StepSeeds.For(seed, step, checked((int)(offset + i)), stream);
        return DiffAugment.Apply(images, augment, seeds);
    }

    /// <summary>The value of a loss term the spec switches off (weight 0 or no head), as a scalar tensor.</summary>
    private static Tensor Zero(Device device) => zeros(System.Array.Empty<long>(), device: device);

    /// <summary>
    /// Latent vectors of global positions offset … offset+b−1, each drawn from its own seed (run seed, step, position,
    /// stream): the same sample gets the same noise however the global batch is split over ranks.
    /// </summary>
    private Tensor Noise(long size, long offset, long step, int stream, Device device)
    {
        var rows = new Tensor[size];
        for (long i = 0; i < size; i++)
        {
            using var generator = new torch.Generator((ulong)StepSeeds.For(seed, step, checked((int)(offset + i)), stream));
            rows[i] = randn(new long[] { 1, state.Spec.LatentSize }, generator: generator);   // (1, latent)
        }
        return cat(rows, 0).to(device);                                                   // (b, latent)
    }
}
