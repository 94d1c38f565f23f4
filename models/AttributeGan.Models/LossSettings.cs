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

/// <summary>The loss mix of a spec: <c>losses:</c>.</summary>
public sealed record LossSettings(
    AdversarialLoss Adversarial,
    double Reconstruction,
    double ContrastiveDiscriminator,
    double ContrastiveGenerator,
    ContrastiveNegatives ContrastiveNegatives = ContrastiveNegatives.GlobalBatch);
