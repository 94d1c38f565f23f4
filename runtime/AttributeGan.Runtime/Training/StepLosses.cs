using System.Collections.Generic;

namespace AttributeGan.Runtime.Training;

/// <summary>The scalar losses of one training step (D step and G step), as plain numbers; 0 for a term the spec leaves out.</summary>
public sealed record StepLosses(
    float DiscriminatorAdversarial,
    float Reconstruction,
    float DiscriminatorContrastive,
    float GeneratorAdversarial,
    float GeneratorContrastive,
    float DiscriminatorClassification,
    float GeneratorClassification)
{
    /// <summary>Name → value, in the constructor's order (data-parallel averaging rebuilds the record from it by position).</summary>
    public IReadOnlyList<KeyValuePair<string, float>> Named() => new[]
    {
        new KeyValuePair<string, float>("d_adversarial", DiscriminatorAdversarial),
        new KeyValuePair<string, float>("d_reconstruction", Reconstruction),
        new KeyValuePair<string, float>("d_contrastive", DiscriminatorContrastive),
        new KeyValuePair<string, float>("g_adversarial", GeneratorAdversarial),
        new KeyValuePair<string, float>("g_contrastive", GeneratorContrastive),
        new KeyValuePair<string, float>("d_classification", DiscriminatorClassification),
        new KeyValuePair<string, float>("g_classification", GeneratorClassification),
    };
}
