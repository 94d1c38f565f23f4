using System;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// The hinge adversarial loss (REFERENCE.md, "Losses and training"), on the discriminator's patch logits.
/// Every mean runs over all B·P patch logits of a batch. The authors' code uses the mirrored sign convention
/// (D(real) pushed down); the two are equivalent.
/// </summary>
public static class AdversarialLosses
{
    /// <summary>
    /// Discriminator side: mean(relu(1 − D(real))) + mean(relu(1 + D(fake))), a scalar.
    /// </summary>
    /// <param name="realLogits">Patch logits of real images, (B, P).</param>
    /// <param name="fakeLogits">Patch logits of generated images, (B', P); B' may differ from B.</param>
    public static Tensor Discriminator(Tensor realLogits, Tensor fakeLogits)
    {
        RequireLogits(realLogits, nameof(realLogits));
        RequireLogits(fakeLogits, nameof(fakeLogits));
        if (realLogits.shape[1] != fakeLogits.shape[1])
        {
            throw new ArgumentException(
                $"Real and fake logits must have the same number of patches, got {realLogits.shape[1]} and {fakeLogits.shape[1]}.",
                nameof(fakeLogits));
        }

        using var scope = torch.NewDisposeScope();
        // 1 − D is what TorchSharp's operator computes, −D + 1 (alpha 1), with Scalars that outlive the native calls.
        var realTerm = nn.functional.relu(realLogits.neg().add(Scalars.Of(1.0), Scalars.One)).mean(); // ()
        var fakeTerm = nn.functional.relu(fakeLogits.add(Scalars.Of(1.0), Scalars.One)).mean();       // ()
        return realTerm.add(fakeTerm, Scalars.One).MoveToOuterDisposeScope();
    }

    /// <summary>Generator side: −mean(D(fake)), a scalar.</summary>
    /// <param name="fakeLogits">Patch logits of generated images, (B, P).</param>
    public static Tensor Generator(Tensor fakeLogits)
    {
        RequireLogits(fakeLogits, nameof(fakeLogits));

        using var scope = torch.NewDisposeScope();
        return fakeLogits.mean().neg().MoveToOuterDisposeScope();                        // ()
    }

    private static void RequireLogits(Tensor logits, string name)
    {
        if (logits.dim() != 2 || logits.shape[0] == 0 || logits.shape[1] == 0)
        {
            throw new ArgumentException($"Patch logits must be a non-empty (B, P) tensor, got ({string.Join(", ", logits.shape)}).", name);
        }
    }
}
