using System;
using System.Collections.Generic;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Metrics;

/// <summary>
/// Mean and covariance of feature vectors, accumulated batch by batch in float64 on the CPU: features (N, D) of any
/// floating dtype and device go in as they come, so a data set never has to be in memory at once. The covariance is
/// the unbiased one (divided by N − 1), as numpy's np.cov(x, rowvar=False) that the FID reference code uses.
/// <para>
/// Samples are merged with Chan, Golub and LeVeque's pairwise update: each group contributes its own mean and centred
/// co-moment, corrected by the shift between the means. Unlike accumulating Σx and Σxxᵀ, this does not cancel
/// catastrophically when the features' means are large next to their spread, and the result does not depend on how
/// the samples are split into batches (up to rounding). Small batches are held back and merged
/// <see cref="MergeRows"/> samples at a time: every merge passes over the whole D×D co-moment (32 MB at D = 2048),
/// so merging each batch of 16 images on its own would cost far more than the arithmetic.
/// </para>
/// </summary>
public sealed class FeatureStatistics : IDisposable
{
    /// <summary>Samples held back before a merge into the mean and co-moment.</summary>
    public const int MergeRows = 1024;

    private readonly Tensor mean;                                                        // (D) float64, of the merged samples
    private readonly Tensor comoment;                                                    // (D, D) float64: Σ (x − mean)(x − mean)ᵀ
    private readonly List<Tensor> pending = new();                                       // (n_i, D) float64 batches not merged yet
    private long merged;
    private long pendingRows;

    public FeatureStatistics(int dimensions)
    {
        if (dimensions < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, "Features have at least one dimension.");
        }
        Dimensions = dimensions;
        // Detached from any dispose scope the caller is in: the statistics outlive the batches that fill them.
        mean = zeros(dimensions, ScalarType.Float64).DetachFromDisposeScope();
        comoment = zeros(new long[] { dimensions, dimensions }, ScalarType.Float64).DetachFromDisposeScope();
    }

    /// <summary>Feature width D.</summary>
    public int Dimensions { get; }

    /// <summary>Samples accumulated so far.</summary>
    public long Count => merged + pendingRows;

    /// <summary>The statistics of one set of features (N, D).</summary>
    public static FeatureStatistics Of(Tensor features)
    {
        if (features.dim() != 2)
        {
            throw new ArgumentException($"Features must be (N, D), got ({string.Join(", ", features.shape)}).", nameof(features));
        }
        var statistics = new FeatureStatistics((int)features.shape[1]);
        statistics.Add(features);
        return statistics;
    }

    /// <summary>
    /// Statistics given by their moments (precomputed reference statistics, closed-form tests): mean (D), unbiased
    /// covariance (D, D) and the number of samples they came from (at least 2). Further batches can be added.
    /// </summary>
    public static FeatureStatistics FromMoments(Tensor mean, Tensor covariance, long count)
    {
        if (mean.dim() != 1 || covariance.dim() != 2 || covariance.shape[0] != mean.shape[0] || covariance.shape[1] != mean.shape[0])
        {
            throw new ArgumentException($"Expected a mean (D) and a covariance (D, D), got ({string.Join(", ", mean.shape)}) and ({string.Join(", ", covariance.shape)}).");
        }
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "A covariance needs at least 2 samples.");
        }
        var statistics = new FeatureStatistics((int)mean.shape[0]);
        try
        {
            using var scope = NewDisposeScope();
            var m = mean.detach().to(ScalarType.Float64, CPU);                          // (D)
            var c = covariance.detach().to(ScalarType.Float64, CPU);                    // (D, D)
            CheckFinite(m, "mean");
            CheckFinite(c, "covariance");
            statistics.mean.copy_(m);
            using var degrees = ((double)(count - 1)).ToScalar();
            statistics.comoment.copy_(c.mul(degrees));
        }
        catch
        {
            statistics.Dispose();
            throw;
        }
        statistics.merged = count;
        return statistics;
    }

    /// <summary>Adds a batch of features (N, D); an empty batch changes nothing. The features are copied.</summary>
    public void Add(Tensor features)
    {
        if (features.dim() != 2 || features.shape[1] != Dimensions)
        {
            throw new ArgumentException($"Features must be (N, {Dimensions}), got ({string.Join(", ", features.shape)}).", nameof(features));
        }
        if (features.shape[0] == 0)
        {
            return;
        }
        using var detached = features.detach();
        var x = detached.to(ScalarType.Float64, CPU, copy: true).DetachFromDisposeScope(); // (N, D), owned here
        try
        {
            CheckFinite(x, "features");
        }
        catch
        {
            x.Dispose();
            throw;
        }
        pending.Add(x);
        pendingRows += x.shape[0];
        if (pendingRows >= MergeRows)
        {
            Merge();
        }
    }

    /// <summary>Folds the held-back samples into the mean and co-moment (Chan et al.'s pairwise update).</summary>
    private void Merge()
    {
        if (pendingRows == 0)
        {
            return;
        }
        using (var scope = NewDisposeScope())
        {
            var x = pending.Count == 1 ? pending[0] : cat(pending, 0);                   // (n, D)
            var n = pendingRows;
            var total = merged + n;
            var groupMean = x.mean(new long[] { 0 });                                    // (D)
            var centred = x - groupMean;                                                 // (n, D)
            var delta = groupMean - mean;                                                // (D)
            // In place, so that a merge makes no D×D temporaries: co-moment += centredᵀ·centred + δδᵀ·merged·n/total.
            // The weights change with every merge: held for the native calls, not cached.
            using var comomentWeight = ((double)merged * n / total).ToScalar();
            using var meanWeight = ((double)n / total).ToScalar();
            comoment.addmm_(centred.t(), centred);
            comoment.addr_(delta.mul(comomentWeight), delta);
            mean.add_(delta.mul(meanWeight), Scalars.One);
            merged = total;
        }
        foreach (var batch in pending)
        {
            batch.Dispose();
        }
        pending.Clear();
        pendingRows = 0;
    }

    /// <summary>The mean (D), float64 on the CPU; the caller disposes it.</summary>
    public Tensor Mean()
    {
        RequireSamples(1);
        Merge();
        return mean.clone();
    }

    /// <summary>The unbiased covariance (D, D), float64 on the CPU; the caller disposes it.</summary>
    public Tensor Covariance()
    {
        RequireSamples(2);
        Merge();
        using var degrees = ((double)(Count - 1)).ToScalar();
        return comoment.div(degrees);
    }

    public void Dispose()
    {
        foreach (var batch in pending)
        {
            batch.Dispose();
        }
        pending.Clear();
        mean.Dispose();
        comoment.Dispose();
    }

    private void RequireSamples(int needed)
    {
        if (Count < needed)
        {
            throw new InvalidOperationException($"The statistics hold {Count} samples; at least {needed} are needed.");
        }
    }

    private static void CheckFinite(Tensor values, string what)
    {
        using var finite = values.isfinite().all();
        if (!finite.item<bool>())
        {
            throw new ArgumentException($"The {what} contain NaN or infinite values.");
        }
    }
}
