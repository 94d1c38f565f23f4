using System.Collections.Generic;

namespace AttributeGan.Runtime.Training;

/// <summary>The scalar losses of one training step (D step and G step), as plain numbers.</summary>
public sealed record StepLosses(
    float DiscriminatorAdversarial,
    float Reconstruction,
    float DiscriminatorContrastive,
    float GeneratorAdversarial,
    float GeneratorContrastive)
{
    public float Discriminator(double reconstructionWeight, double contrastiveWeight) =>
        DiscriminatorAdversarial + (float)reconstructionWeight * Reconstruction + (float)contrastiveWeight * DiscriminatorContrastive;

    /// <summary>Name → value, in the order the loss table and plots use.</summary>
    public IReadOnlyList<KeyValuePair<string, float>> Named() => new[]
    {
        new KeyValuePair<string, float>("d_adversarial", DiscriminatorAdversarial),
        new KeyValuePair<string, float>("d_reconstruction", Reconstruction),
        new KeyValuePair<string, float>("d_contrastive", DiscriminatorContrastive),
        new KeyValuePair<string, float>("g_adversarial", GeneratorAdversarial),
        new KeyValuePair<string, float>("g_contrastive", GeneratorContrastive),
    };
}
