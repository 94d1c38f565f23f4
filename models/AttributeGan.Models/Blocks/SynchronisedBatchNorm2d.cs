using System;
using System.Collections.Generic;
using System.Threading;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Batch normalisation over (B, H, W) per channel whose statistics, in data-parallel training, are those of the global
/// batch: every process normalises with the mean and variance of all processes' samples, and all keep identical
/// running statistics. Without a reducer (<see cref="Attach"/>), with a reducer of one process, or in eval mode it
/// computes exactly what <c>nn.BatchNorm2d</c> computes (the same functional call). Its state_dict keys, dtypes and
/// defaults are those of <c>nn.BatchNorm2d</c> (weight, bias, running_mean, running_var, num_batches_tracked; eps 1e-5,
/// momentum 0.1), so checkpoints written with <c>nn.BatchNorm2d</c> load unchanged. (B, C, H, W) → (B, C, H, W).
/// <para>
/// Every process must run the same sequence of training-mode forward passes, and of backward passes, through the
/// synchronising layers: each one is a collective operation.
/// </para>
/// <para>
/// An exception inside an autograd backward would abort the process, so a failure while back-propagating (e.g. the
/// reducer failing) is caught and kept: <see cref="ThrowIfBackwardFailed"/> (or <see cref="ThrowIfAnyBackwardFailed"/>
/// on a whole network, right after <c>backward()</c>) rethrows it, and so does every later forward. A failed module
/// stays failed: the processes' collectives are out of step and no later result could be trusted.
/// </para>
/// </summary>
public sealed class SynchronisedBatchNorm2d : nn.Module<Tensor, Tensor>
{
    public const double DefaultEps = 1e-5;
    public const double DefaultMomentum = 0.1;

    // Named as nn.BatchNorm2d's state_dict keys; `to(device/dtype)` replaces the tensors, so the fields are not readonly.
    private Parameter weight;
    private Parameter bias;
    private Tensor running_mean;
    private Tensor running_var;
    private Tensor num_batches_tracked;

    private readonly double eps;
    private readonly double? momentum;
    private IBatchStatisticsReducer? reducer;
    private Exception? backwardFailure;

    /// <param name="numFeatures">Channels C.</param>
    /// <param name="synchronise">
    /// false: statistics stay per process even when a reducer is offered (<see cref="NormKind.LocalBatch"/>).
    /// </param>
    /// <param name="eps">Added to the variance, as nn.BatchNorm2d.</param>
    /// <param name="momentum">Weight of the new batch in the running statistics; null: cumulative average, as nn.BatchNorm2d.</param>
    public SynchronisedBatchNorm2d(long numFeatures, bool synchronise = true, double eps = DefaultEps, double? momentum = DefaultMomentum)
        : base(nameof(SynchronisedBatchNorm2d))
    {
        BlockArguments.Positive(numFeatures, nameof(SynchronisedBatchNorm2d));
        if (!(eps >= 0) || double.IsInfinity(eps))
        {
            throw new ArgumentException($"{nameof(SynchronisedBatchNorm2d)}: eps must be a non-negative finite number, got {eps}.", nameof(eps));
        }
        if (momentum is { } m && !(m >= 0 && m <= 1))
        {
            throw new ArgumentException($"{nameof(SynchronisedBatchNorm2d)}: momentum must be in [0, 1] or null, got {m}.", nameof(momentum));
        }

        NumFeatures = numFeatures;
        Synchronises = synchronise;
        this.eps = eps;
        this.momentum = momentum;

        var dtype = torch.get_default_dtype();
        using (torch.NewDisposeScope())
        {
            // The module owns its tensors: they must outlive any dispose scope it was built in.
            weight = (Parameter)new Parameter(torch.ones(numFeatures, dtype)).DetachFromDisposeScope();
            bias = (Parameter)new Parameter(torch.zeros(numFeatures, dtype)).DetachFromDisposeScope();
            running_mean = torch.zeros(numFeatures, dtype).DetachFromDisposeScope();
            running_var = torch.ones(numFeatures, dtype).DetachFromDisposeScope();
            num_batches_tracked = torch.tensor(0L).DetachFromDisposeScope();
        }

        RegisterComponents();
    }

    public long NumFeatures { get; }

    /// <summary>false for <see cref="NormKind.LocalBatch"/>: <see cref="Attach"/> passes this module by.</summary>
    public bool Synchronises { get; }

    public double Eps => eps;

    public double? Momentum => momentum;

    /// <summary>The reducer <see cref="Attach"/> gave this module, or null.</summary>
    public IBatchStatisticsReducer? Reducer => reducer;

    public Parameter Weight => weight;

    public Parameter Bias => bias;

    public Tensor RunningMean => running_mean;

    public Tensor RunningVar => running_var;

    public Tensor NumBatchesTracked => num_batches_tracked;

    /// <summary>
    /// Gives <paramref name="reducer"/> to every synchronising batch norm in <paramref name="root"/> (itself included);
    /// those built with <see cref="NormKind.LocalBatch"/> are left alone. Returns how many were attached.
    /// </summary>
    public static int Attach(nn.Module root, IBatchStatisticsReducer reducer)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(reducer);
        var count = 0;
        foreach (var norm in All(root))
        {
            if (norm.Synchronises)
            {
                norm.reducer = reducer;
                count++;
            }
        }
        return count;
    }

    /// <summary>Removes the reducer from every batch norm in <paramref name="root"/>; returns how many had one.</summary>
    public static int Detach(nn.Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var count = 0;
        foreach (var norm in All(root))
        {
            if (norm.reducer is not null)
            {
                norm.reducer = null;
                count++;
            }
        }
        return count;
    }

    /// <summary>Rethrows (wrapped) the first exception caught in a backward pass of this module, if any.</summary>
    public void ThrowIfBackwardFailed()
    {
        if (Volatile.Read(ref backwardFailure) is { } failure)
        {
            throw new InvalidOperationException(
                $"A synchronised batch norm ({NumFeatures} channels) failed in a backward pass: {failure.Message}", failure);
        }
    }

    /// <summary><see cref="ThrowIfBackwardFailed"/> for every batch norm in <paramref name="root"/>; call it after backward().</summary>
    public static void ThrowIfAnyBackwardFailed(nn.Module root)
    {
        ArgumentNullException.ThrowIfNull(root);
        foreach (var norm in All(root))
        {
            norm.ThrowIfBackwardFailed();
        }
    }

    public override Tensor forward(Tensor input)
    {
        // input: (B, C, H, W)
        if (input.dim() != 4 || input.shape[1] != NumFeatures)
        {
            throw new ArgumentException(
                $"SynchronisedBatchNorm2d expects (B, {NumFeatures}, H, W), got ({string.Join(", ", input.shape)}).", nameof(input));
        }
        ThrowIfBackwardFailed();

        // As nn.BatchNorm2d: count the batch; with no momentum the running statistics are a cumulative average.
        var factor = momentum ?? 0.0;
        if (training)
        {
            num_batches_tracked.add_(Scalars.One, Scalars.One);
            if (momentum is null)
            {
                factor = 1.0 / num_batches_tracked.item<long>();
            }
        }

        if (!training || reducer is not { WorldSize: > 1 } active)
        {
            // Exactly nn.BatchNorm2d's call, so one process (and evaluation) is bit-identical to it.
            return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, training, factor, eps);
        }
        return SynchronisedForward(input, active, factor);
    }

    private Tensor SynchronisedForward(Tensor x, IBatchStatisticsReducer active, double factor)
    {
        // x: (B, C, H, W). The scope also frees the output-sized buffer TorchSharp's autograd node allocates per call.
        using var scope = torch.NewDisposeScope();
        long c = NumFeatures;
        Tensor mean, invstd;
        double count;
        using (torch.no_grad())
        {
            // Local [Σx (C), Σx² (C), count] in float64: the variance E[x²] − mean² cancels digits that float32 sums
            // over a large batch do not have. x² of a float32 x is exact in float64.
            var x64 = x.detach().to(ScalarType.Float64);                                   // (B, C, H, W)
            var dims = new long[] { 0, 2, 3 };
            using var localCountValue = ((double)(x.numel() / c)).ToScalar();
            var localCount = torch.full(1, localCountValue, ScalarType.Float64, x.device); // (1)
            var stats = torch.cat(new[] { x64.sum(dims), x64.pow(Scalars.Of(2L)).sum(dims), localCount }).contiguous(); // (2C + 1)
            x64.Dispose();
            active.AllReduceSum(stats);

            count = stats[2 * c].item<double>();
            if (count < 2)
            {
                // Every process sees the same global count, so all of them stop here together.
                throw new ArgumentException(
                    $"SynchronisedBatchNorm2d needs more than one value per channel in training, got {count} over all processes.", nameof(x));
            }
            // Numbers read from this batch's statistics are held for the calls (a temporary Scalar may be freed mid-call).
            using var countScalar = count.ToScalar();
            using var bessel = (count / (count - 1)).ToScalar();
            var mean64 = stats.narrow(0, 0, c).div(countScalar);                          // (C)
            var biased = (stats.narrow(0, c, c).div(countScalar) - mean64.pow(Scalars.Of(2L))).clamp_min(Scalars.Zero); // (C)
            UpdateRunningStatistics(mean64, biased.mul(bessel), factor);
            mean = mean64.to(x.dtype);                                                      // (C)
            invstd = biased.add(Scalars.Of(eps), Scalars.One).rsqrt().to(x.dtype);          // (C)
        }

        var y = SynchronisedBatchNormFunction.apply(x, weight, bias, mean, invstd, new SynchronisedBackward(active, count, this)); // (B, C, H, W)
        return y.MoveToOuterDisposeScope();
    }

    /// <summary>running = (1 − f)·running + f·batch, in float64 as the native kernel accumulates, for mean and unbiased variance.</summary>
    private void UpdateRunningStatistics(Tensor mean64, Tensor unbiased64, double factor)
    {
        using var keep = (1 - factor).ToScalar();
        using var take = factor.ToScalar();
        running_mean.copy_(running_mean.to(ScalarType.Float64).mul(keep).add(mean64.mul(take), Scalars.One));
        running_var.copy_(running_var.to(ScalarType.Float64).mul(keep).add(unbiased64.mul(take), Scalars.One));
    }

    internal void RecordBackwardFailure(Exception failure) => Interlocked.CompareExchange(ref backwardFailure, failure, null);

    private static IEnumerable<SynchronisedBatchNorm2d> All(nn.Module root)
    {
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        if (root is SynchronisedBatchNorm2d self && seen.Add(self))
        {
            yield return self;
        }
        foreach (var module in root.modules())
        {
            if (module is SynchronisedBatchNorm2d norm && seen.Add(norm))
            {
                yield return norm;
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            weight.Dispose();
            bias.Dispose();
            running_mean.Dispose();
            running_var.Dispose();
            num_batches_tracked.Dispose();
        }
        base.Dispose(disposing);
    }
}
