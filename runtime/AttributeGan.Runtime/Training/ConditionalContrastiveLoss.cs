using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// The conditional contrastive (2C) loss of the paper's Eq. 1 (after ContraGAN, without a margin).
/// For a batch of B images with L2-normalised embeddings f_i = f(x_i), L2-normalised attribute embeddings
/// l_i = l(y_i), attribute-combination labels y_i and temperature t:
/// <code>
/// L_i = −log( [exp(f_iᵀl_i/t) + Σ_{k≠i, y_k=y_i} exp(f_iᵀf_k/t)]
///           / [exp(f_iᵀl_i/t) + Σ_{k≠i}          exp(f_iᵀf_k/t)] ),     loss = (1/B) Σ_i L_i.
/// </code>
/// Only the own attribute embedding l_i appears (never l_k); a sample whose label no other sample shares has
/// l_i as its only positive. The numerator's terms are a subset of the denominator's, so L_i ≥ 0.
/// <para>
/// Computed as L_i = LSE(denominator terms) − LSE(numerator terms), each log-sum-exp over the logits
/// (f_iᵀl_i/t, f_iᵀf_k/t) of its own mask; <c>logsumexp</c> subtracts the row
/// maximum before exponentiating, so any temperature and any similarities are safe. Excluded entries are filled
/// with −∞ (exp = 0, zero gradient); every row keeps its finite f_iᵀl_i/t term. No loops over the batch.
/// </para>
/// <para>
/// Gradients flow into f_i, f_k (both sides of every in-batch f_iᵀf_k) and l_i.
/// </para>
/// </summary>
public static class ConditionalContrastiveLoss
{
    /// <summary>
    /// The batch-mean loss, a scalar. With <paramref name="otherEmbeddings"/> (embeddings gathered from other
    /// data-parallel ranks) the M other samples join both k-sums of every local i: in the denominator always, in the
    /// numerator when their label equals y_i. They are constants (detached; no gradient reaches them), and their own
    /// L terms are not computed here: the mean runs over the B local samples only. Each rank thus computes the exact
    /// value of its share of the full-batch loss (the average over ranks equals the full-batch loss when ranks hold
    /// equal batches), but gradient through the cross-rank f_iᵀf_k terms reaches only the local side.
    /// </summary>
    /// <param name="embeddings">f(x), L2-normalised: (B, D).</param>
    /// <param name="attributeEmbeddings">l(y), L2-normalised: (B, D); row i belongs to sample i.</param>
    /// <param name="labels">Attribute-combination index of each sample, any integer type: (B).</param>
    /// <param name="temperature">t &gt; 0 (the code's default 1.0; the spec's <c>contrastive.temperature</c>).</param>
    /// <param name="otherEmbeddings">Optional f(x) of other ranks' samples, L2-normalised: (M, D).</param>
    /// <param name="otherLabels">Labels of <paramref name="otherEmbeddings"/>: (M); given exactly when they are.</param>
    public static Tensor Compute(
        Tensor embeddings,
        Tensor attributeEmbeddings,
        Tensor labels,
        double temperature,
        Tensor? otherEmbeddings = null,
        Tensor? otherLabels = null)
    {
        Validate(embeddings, attributeEmbeddings, labels, temperature, otherEmbeddings, otherLabels);

        using var scope = torch.NewDisposeScope();
        long b = embeddings.shape[0];
        var device = embeddings.device;
        var f = embeddings;                                                              // (B, D)

        var own = (f * attributeEmbeddings).sum(1, keepdim: true) / temperature;         // (B, 1)  f_iᵀl_i / t
        var pair = torch.matmul(f, f.t()) / temperature;                                 // (B, B)  f_iᵀf_k / t
        var notSelf = torch.eye(b, dtype: ScalarType.Bool, device: device).logical_not(); // (B, B)  k ≠ i
        var local = labels.to(ScalarType.Int64).to(device);                             // (B)
        var sameLabel = local.unsqueeze(1).eq(local.unsqueeze(0));                        // (B, B)  y_k = y_i

        var logits = torch.cat(new[] { own, pair }, 1);                                  // (B, 1+B)
        var ownMask = torch.ones(b, 1, dtype: ScalarType.Bool, device: device);          // (B, 1)
        var denominatorMask = torch.cat(new[] { ownMask, notSelf }, 1);                  // (B, 1+B)
        var numeratorMask = torch.cat(new[] { ownMask, notSelf.logical_and(sameLabel) }, 1); // (B, 1+B)

        if (otherEmbeddings is not null && otherLabels is not null && otherEmbeddings.shape[0] > 0)
        {
            var others = otherEmbeddings.detach().to(device);                            // (M, D), constant
            var cross = torch.matmul(f, others.t()) / temperature;                       // (B, M)  f_iᵀf_m / t
            var remote = otherLabels.to(ScalarType.Int64).to(device);                    // (M)
            var crossSame = local.unsqueeze(1).eq(remote.unsqueeze(0));                   // (B, M)
            var crossAll = torch.ones_like(crossSame);                                   // (B, M)

            logits = torch.cat(new[] { logits, cross }, 1);                              // (B, 1+B+M)
            denominatorMask = torch.cat(new[] { denominatorMask, crossAll }, 1);
            numeratorMask = torch.cat(new[] { numeratorMask, crossSame }, 1);
        }

        var logDenominator = MaskedLogSumExp(logits, denominatorMask);                   // (B)
        var logNumerator = MaskedLogSumExp(logits, numeratorMask);                       // (B)
        return (logDenominator - logNumerator).mean().MoveToOuterDisposeScope();          // ()
    }

    /// <summary>Per row, log Σ_{j: mask} exp(x_j), stable: (N, K) → (N). Every row must keep at least one entry.</summary>
    private static Tensor MaskedLogSumExp(Tensor logits, Tensor mask)
    {
        var excluded = mask.logical_not();                                               // (N, K)
        return logits.masked_fill(excluded, double.NegativeInfinity).logsumexp(1);       // (N)
    }

    private static void Validate(
        Tensor embeddings, Tensor attributeEmbeddings, Tensor labels, double temperature, Tensor? otherEmbeddings, Tensor? otherLabels)
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The contrastive temperature must be a positive finite number.");
        }
        if (embeddings.dim() != 2 || embeddings.shape[0] == 0)
        {
            throw new ArgumentException($"Embeddings must be a non-empty (B, D) tensor, got ({Shape(embeddings)}).", nameof(embeddings));
        }
        long b = embeddings.shape[0], d = embeddings.shape[1];
        if (attributeEmbeddings.dim() != 2 || attributeEmbeddings.shape[0] != b || attributeEmbeddings.shape[1] != d)
        {
            throw new ArgumentException(
                $"Attribute embeddings must be ({b}, {d}) like the embeddings, got ({Shape(attributeEmbeddings)}).", nameof(attributeEmbeddings));
        }
        if (labels.dim() != 1 || labels.shape[0] != b || labels.is_floating_point())
        {
            throw new ArgumentException($"Labels must be an integer tensor of shape ({b}), got {labels.dtype} ({Shape(labels)}).", nameof(labels));
        }
        if ((otherEmbeddings is null) != (otherLabels is null))
        {
            throw new ArgumentException("Gathered embeddings and their labels must be given together.",
                otherEmbeddings is null ? nameof(otherEmbeddings) : nameof(otherLabels));
        }
        if (otherEmbeddings is null || otherLabels is null) return;
        if (otherEmbeddings.dim() != 2 || otherEmbeddings.shape[1] != d)
        {
            throw new ArgumentException($"Gathered embeddings must be (M, {d}), got ({Shape(otherEmbeddings)}).", nameof(otherEmbeddings));
        }
        if (otherLabels.dim() != 1 || otherLabels.shape[0] != otherEmbeddings.shape[0] || otherLabels.is_floating_point())
        {
            throw new ArgumentException(
                $"Gathered labels must be an integer tensor of shape ({otherEmbeddings.shape[0]}), got {otherLabels.dtype} ({Shape(otherLabels)}).",
                nameof(otherLabels));
        }
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);
}
