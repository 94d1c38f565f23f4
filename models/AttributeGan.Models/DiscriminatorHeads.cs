namespace AttributeGan.Models;

/// <summary>
/// Which auxiliary heads a discriminator pass evaluates. The adversarial logits are always computed.
/// </summary>
/// <param name="Contrastive">Return the contrastive embedding f(x) and the attribute embedding l(y).</param>
/// <param name="Reconstruction">Return the reconstructions (real images only, in the discriminator step).</param>
/// <param name="Quadrant">Which quadrant (0..3) the decoders above the lowest reconstruction resolution decode.</param>
/// <param name="Classifier">Return the auxiliary classifier's attribute logits.</param>
public sealed record DiscriminatorHeads(bool Contrastive = false, bool Reconstruction = false, int Quadrant = 0, bool Classifier = false)
{
    public static DiscriminatorHeads LogitsOnly { get; } = new();

    public static DiscriminatorHeads All(int quadrant = 0) => new(true, true, quadrant, true);
}
