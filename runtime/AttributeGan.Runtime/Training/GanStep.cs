using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// One training step: a discriminator step on real and generated images (hinge, reconstruction on reals,
/// conditional contrastive on reals), then a generator step (hinge, conditional contrastive on fakes conditioned on
/// the real batch's attributes), then the EMA update. Everything it allocates lives in one dispose scope.
/// </summary>
public sealed class GanStep(GanTrainingState state, int seed, int rank = 0)
{
    private readonly LossSettings weights = state.Spec.Losses;
    private readonly DiscriminatorHeadLayout heads = state.Spec.Heads;

    public StepLosses Run(TrainingBatch batch)
    {
        long step = state.Step;
        using var scope = NewDisposeScope();
        var device = batch.Images.device;
        long size = batch.Images.shape[0];
        bool reconstruct = weights.Reconstruction > 0 && heads.ReconstructionResolutions.Count > 0;
        int quadrant = (int)(StepSeeds.For(seed, step, rank, StepSeeds.Quadrant) % 4);

        // Discriminator step.
        state.Generator.train();
        state.Discriminator.train();
        state.DiscriminatorOptimizer.zero_grad();
        Tensor fake;
        using (no_grad())
            fake = state.Generator.call(Noise(size, step, StepSeeds.NoiseForDiscriminator, device), batch.Attributes); // (B, C, R, R)
        var real = state.Discriminator.call(batch.Images, batch.Attributes,
            new DiscriminatorHeads(Contrastive: weights.ContrastiveDiscriminator > 0, Reconstruction: reconstruct, Quadrant: quadrant));
        var fakeLogits = state.Discriminator.call(fake, batch.Attributes, DiscriminatorHeads.LogitsOnly).Logits; // (B, P)

        var dAdversarial = AdversarialLosses.Discriminator(real.Logits, fakeLogits);
        var reconstruction = reconstruct
            ? ReconstructionLoss.Compute(real.Reconstructions, batch.Images, heads.ReconstructionResolutions, heads.ReconstructionSize, quadrant)
            : Zero(device);
        var dContrastive = weights.ContrastiveDiscriminator > 0
            ? ConditionalContrastiveLoss.Compute(real.Embedding!, real.AttributeEmbedding!, batch.Labels, heads.ContrastiveTemperature)
            : Zero(device);
        var dLoss = dAdversarial + weights.Reconstruction * reconstruction + weights.ContrastiveDiscriminator * dContrastive;
        dLoss.backward();
        state.DiscriminatorOptimizer.step();

        // Generator step: fakes conditioned on the real batch's attributes. D is frozen until the step ends: its
        // weights are not trained here, so their gradients are skipped (the gradient still reaches the fakes).
        using var frozen = FrozenParameters.Of(state.Discriminator);
        state.GeneratorOptimizer.zero_grad();
        var generated = state.Generator.call(Noise(size, step, StepSeeds.NoiseForGenerator, device), batch.Attributes);
        var judged = state.Discriminator.call(generated, batch.Attributes, new DiscriminatorHeads(Contrastive: weights.ContrastiveGenerator > 0));
        var gAdversarial = AdversarialLosses.Generator(judged.Logits);
        var gContrastive = weights.ContrastiveGenerator > 0
            ? ConditionalContrastiveLoss.Compute(judged.Embedding!, judged.AttributeEmbedding!, batch.Labels, heads.ContrastiveTemperature)
            : Zero(device);
        var gLoss = gAdversarial + weights.ContrastiveGenerator * gContrastive;
        gLoss.backward();
        state.GeneratorOptimizer.step();

        state.Step = step + 1;
        state.Ema.Update(state.Step);

        var losses = new StepLosses(dAdversarial.item<float>(), reconstruction.item<float>(), dContrastive.item<float>(), gAdversarial.item<float>(), gContrastive.item<float>());
        NonFiniteGuard.Check(state.Step, losses.Named().Select(l => new KeyValuePair<string, double>(l.Key, l.Value)));
        return losses;
    }

    /// <summary>The value of a loss term the spec switches off (weight 0 or no head), as a scalar tensor.</summary>
    private static Tensor Zero(Device device) => zeros(System.Array.Empty<long>(), device: device);

    private Tensor Noise(long size, long step, int stream, Device device)
    {
        using var generator = new torch.Generator((ulong)StepSeeds.For(seed, step, rank, stream));
        return randn(new[] { size, state.Spec.LatentSize }, generator: generator).to(device); // (B, latent)
    }
}
