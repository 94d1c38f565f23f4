namespace AttributeGan.Models;

public enum AdversarialLoss
{
    /// <summary>D: mean(relu(1 − D(real))) + mean(relu(1 + D(fake))); G: −mean(D(fake)).</summary>
    Hinge,
}

/// <summary>Where the conditional contrastive loss takes its negatives from in data-parallel training: <c>losses.contrastive.negatives</c>.</summary>
public enum ContrastiveNegatives
{
    /// <summary>The whole global batch: embeddings and labels gathered from every process. On one process, the batch.</summary>
    GlobalBatch,

    /// <summary>Only the process's own share of the batch, as data-parallel training without gathering.</summary>
    LocalBatch,
}

/// <summary>The gradient penalty on real images: <c>losses.gradient_penalty.kind</c>.</summary>
public enum GradientPenaltyKind
{
    /// <summary>R1 (Mescheder et al. 2018): mean over images of ‖∇ₓ D(x)‖² on real images.</summary>
    R1,

    /// <summary>One-centred (lightweight-gan, WGAN-GP's form on real images): mean over images of (‖∇ₓ D(x)‖ − 1)².</summary>
    OneCentred,
}

/// <summary>
/// <c>losses.gradient_penalty</c>: <see cref="Weight"/> × the penalty, added to the discriminator's loss on every
/// <see cref="Every"/>-th step (as lightweight-gan applies it, without scaling by <see cref="Every"/>). D(x) is the sum of
/// an image's patch logits, projection included.
/// </summary>
public sealed record GradientPenaltySettings(GradientPenaltyKind Kind, double Weight, int Every);

/// <summary>
/// The loss mix of a spec: <c>losses:</c>. <see cref="ClassificationDiscriminator"/> and <see cref="ClassificationGenerator"/>
/// weight the auxiliary classifier's cross-entropy (<c>losses.classification</c>): on real images in the discriminator
/// step, on generated images against their requested attributes in the generator step.
/// </summary>
public sealed record LossSettings(
    AdversarialLoss Adversarial,
    double Reconstruction,
    double ContrastiveDiscriminator,
    double ContrastiveGenerator,
    ContrastiveNegatives ContrastiveNegatives = ContrastiveNegatives.GlobalBatch,
    GradientPenaltySettings? GradientPenalty = null,
    double ClassificationDiscriminator = 0,
    double ClassificationGenerator = 0);
