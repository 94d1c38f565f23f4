using System;
using AttributeGan.Models.Numerics;
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
/// Gradients flow into f_i, f_k (both sides of every f_iᵀf_k) and l_i.
/// </para>
/// <para>
/// Data-parallel training passes the <see cref="GlobalBatch"/>: the embeddings and labels of every rank's share
/// (gathered differentiably, this rank's rows at <see cref="GlobalBatch.Offset"/>). Each rank then computes the
/// mean of L_i over its own samples with k running over the whole global batch, so the average over ranks equals
/// the full-batch loss exactly, and the gather's backward returns to each rank the gradient that the other ranks'
/// terms send to its embeddings: training on N ranks equals training on one.
/// </para>
/// </summary>
public static class ConditionalContrastiveLoss
{
    /// <summary>The mean of L_i over this rank's B samples, a scalar.</summary>
    /// <param name="embeddings">f(x), L2-normalised: (B, D).</param>
    /// <param name="attributeEmbeddings">l(y), L2-normalised: (B, D); row i belongs to sample i.</param>
    /// <param name="labels">Attribute-combination index of each sample, any integer type: (B).</param>
    /// <param name="temperature">t &gt; 0 (the code's default 1.0; the spec's <c>contrastive.temperature</c>).</param>
    /// <param name="global">
    /// The k-sums' samples when they reach beyond this rank's batch; null: the local batch (single process, or
    /// <c>negatives: local_batch</c>).
    /// </param>
    public static Tensor Compute(Tensor embeddings, Tensor attributeEmbeddings, Tensor labels, double temperature, GlobalBatch? global = null)
    {
        Validate(embeddings, attributeEmbeddings, labels, temperature, global);

        using var scope = torch.NewDisposeScope();
        long b = embeddings.shape[0];
        var device = embeddings.device;
        var f = embeddings;                                                              // (B, D)
        var keys = global?.Embeddings ?? f;                                              // (M, D)
        long m = keys.shape[0], offset = global?.Offset ?? 0;
        var local = labels.to(ScalarType.Int64).to(device);                              // (B)
        var keyLabels = global is null ? local : global.Labels.to(ScalarType.Int64).to(device); // (M)

        // Held for the native calls below; arange(n) is arange(0, n, 1) with integer Scalars, and + offset adds with alpha 1.
        using var t = temperature.ToScalar();
        using var rows = b.ToScalar();
        using var columns = m.ToScalar();
        using var shift = offset.ToScalar();
        var own = (f * attributeEmbeddings).sum(1, keepdim: true).div(t);                // (B, 1)  f_iᵀl_i / t
        var pair = torch.matmul(f, keys.t()).div(t);                                     // (B, M)  f_iᵀf_k / t
        // k ≠ i: key offset + i is sample i itself.
        var self = torch.arange(Scalars.Zero, rows, Scalars.One, device: device).unsqueeze(1).add(shift, Scalars.One); // (B, 1)
        var notSelf = torch.arange(Scalars.Zero, columns, Scalars.One, device: device).unsqueeze(0).ne(self);         // (B, M)
        var sameLabel = local.unsqueeze(1).eq(keyLabels.unsqueeze(0));                    // (B, M)  y_k = y_i

        var logits = torch.cat(new[] { own, pair }, 1);                                  // (B, 1+M)
        var ownMask = torch.ones(b, 1, dtype: ScalarType.Bool, device: device);          // (B, 1)
        var denominatorMask = torch.cat(new[] { ownMask, notSelf }, 1);                  // (B, 1+M)
        var numeratorMask = torch.cat(new[] { ownMask, notSelf.logical_and(sameLabel) }, 1); // (B, 1+M)

        var logDenominator = MaskedLogSumExp(logits, denominatorMask);                   // (B)
        var logNumerator = MaskedLogSumExp(logits, numeratorMask);                       // (B)
        return (logDenominator - logNumerator).mean().MoveToOuterDisposeScope();          // ()
    }

    /// <summary>Per row, log Σ_{j: mask} exp(x_j), stable: (N, K) → (N). Every row must keep at least one entry.</summary>
    private static Tensor MaskedLogSumExp(Tensor logits, Tensor mask)
    {
        var excluded = mask.logical_not();                                               // (N, K)
        return logits.masked_fill(excluded, Scalars.Of(double.NegativeInfinity)).logsumexp(1); // (N)
    }

    private static void Validate(Tensor embeddings, Tensor attributeEmbeddings, Tensor labels, double temperature, GlobalBatch? global)
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
        if (global is null) return;
        var keys = global.Embeddings;
        if (keys.dim() != 2 || keys.shape[1] != d || global.Offset < 0 || global.Offset + b > keys.shape[0])
        {
            throw new ArgumentException(
                $"The global batch's embeddings must be (M, {d}) with this rank's {b} rows at offset {global.Offset}, got ({Shape(keys)}).", nameof(global));
        }
        if (global.Labels.dim() != 1 || global.Labels.shape[0] != keys.shape[0] || global.Labels.is_floating_point())
        {
            throw new ArgumentException(
                $"The global batch's labels must be an integer tensor of shape ({keys.shape[0]}), got {global.Labels.dtype} ({Shape(global.Labels)}).",
                nameof(global));
        }
    }

    private static string Shape(Tensor t) => string.Join(", ", t.shape);
}

/// <summary>
/// The whole data-parallel batch as the contrastive loss sees it: every rank's embeddings f(x) (M, D), L2-normalised,
/// with gradient (see <c>DifferentiableGather</c>), their labels (M), and where this rank's rows start.
/// </summary>
public sealed record GlobalBatch(Tensor Embeddings, Tensor Labels, long Offset);
