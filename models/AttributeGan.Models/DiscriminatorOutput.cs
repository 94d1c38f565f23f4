using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace AttributeGan.Models;

/// <summary>
/// What one discriminator pass returns. Tensors not requested through <see cref="DiscriminatorHeads"/> are null,
/// and so are those of heads the spec does not have.
/// </summary>
/// <param name="Logits">Patch logits (B, P), attribute-conditioned as the spec's projection says.</param>
/// <param name="Embedding">Contrastive embedding f(x), L2-normalised: (B, D).</param>
/// <param name="AttributeEmbedding">Attribute embedding l(y), L2-normalised: (B, D).</param>
/// <param name="Reconstructions">One (B, C, S, S) image per reconstruction decoder, lowest resolution first.</param>
/// <param name="AttributeLogits">The auxiliary classifier's logits, every attribute's levels side by side as in the one-hot layout: (B, A).</param>
public sealed record DiscriminatorOutput(
    Tensor Logits,
    Tensor? Embedding,
    Tensor? AttributeEmbedding,
    IReadOnlyList<Tensor> Reconstructions,
    Tensor? AttributeLogits = null) : IDisposable
{
    public void Dispose()
    {
        Logits.Dispose();
        Embedding?.Dispose();
        AttributeEmbedding?.Dispose();
        AttributeLogits?.Dispose();
        foreach (var image in Reconstructions) image.Dispose();
    }
}
