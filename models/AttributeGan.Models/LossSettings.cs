namespace AttributeGan.Models;

public enum AdversarialLoss
{
    /// <summary>D: mean(relu(1 − D(real))) + mean(relu(1 + D(fake))); G: −mean(D(fake)).</summary>
    Hinge,
}

/// <summary>The loss mix of a spec: <c>losses:</c>.</summary>
public sealed record LossSettings(
    AdversarialLoss Adversarial,
    double Reconstruction,
    double ContrastiveDiscriminator,
    double ContrastiveGenerator);
