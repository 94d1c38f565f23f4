using System;
using AttributeGan.Models;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// The auxiliary classifier's loss (AC-GAN, Odena et al. 2017; <c>losses.classification</c>): for every attribute a
/// cross-entropy between the softmax over that attribute's slice of the logits and its requested level, averaged over
/// the batch and then over the attributes, so its scale does not grow with the number of attributes:
/// <code>
/// L = (1/K) Σ_a (1/B) Σ_i −log softmax(z_i[a])[y_i,a]
/// </code>
/// The discriminator minimises it on real images (it learns to read the attributes); the generator minimises it on its
/// images against the attributes it was asked for (they must read as requested).
/// </summary>
public static class AttributeClassificationLoss
{
    /// <summary>The loss, a scalar.</summary>
    /// <param name="logits">The classifier head's logits, the attributes' levels side by side: (B, A).</param>
    /// <param name="attributes">One-hot requested levels in the same layout: (B, A).</param>
    /// <param name="layout">Which slice of A belongs to which attribute.</param>
    public static Tensor Compute(Tensor logits, Tensor attributes, AttributeLayout layout)
    {
        if (logits.dim() != 2 || logits.shape[0] == 0 || logits.shape[1] != layout.Width)
            throw new ArgumentException($"Classifier logits must be (B, {layout.Width}) with B > 0, got ({string.Join(", ", logits.shape)}).", nameof(logits));
        if (attributes.dim() != 2 || attributes.shape[0] != logits.shape[0] || attributes.shape[1] != layout.Width)
            throw new ArgumentException($"Attributes must be ({logits.shape[0]}, {layout.Width}) like the logits, got ({string.Join(", ", attributes.shape)}).", nameof(attributes));

        using var scope = torch.NewDisposeScope();
        var target = attributes.to(logits.dtype).to(logits.device);                      // (B, A)
        Tensor? total = null;
        for (int a = 0; a < layout.Count; a++)
        {
            long start = layout.Offset(a), levels = layout.Attributes[a].Levels.Count;
            var slice = logits.narrow(1, start, levels);                                 // (B, k)
            var wanted = target.narrow(1, start, levels);                                // (B, k) one-hot
            var crossEntropy = -(wanted * slice.log_softmax(1)).sum(1).mean();           // ()
            total = total is null ? crossEntropy : total.add(crossEntropy, Scalars.One);
        }

        return total!.div(Scalars.Of((long)layout.Count)).MoveToOuterDisposeScope();     // ()
    }
}
