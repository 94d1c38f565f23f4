using System;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Blocks;
using AttributeGan.Runtime.Training;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// How one rank of a data-parallel run takes part in a training step: gradient averaging for G and D, batch-norm
/// statistics over the global batch, the global batch for the contrastive loss, and agreement on losses and on
/// stopping. With one process every part is the identity, so single-process training runs this same path.
/// </summary>
public sealed class DataParallel : IDisposable
{
    private readonly ICollectives statistics;
    private readonly GanTrainingState state;

    public DataParallel(ICollectives collectives, GanTrainingState state)
    {
        Collectives = collectives;
        this.state = state;
        Generator = new GradientAverager(collectives, state.Generator);
        Discriminator = new GradientAverager(collectives, state.Discriminator);
        // Batch-norm statistics travel on their own group: they are reduced inside backward, while gradient buckets
        // are in flight on the averagers' groups.
        statistics = collectives.Duplicate();
        var reducer = new CollectivesStatisticsReducer(statistics);
        SynchronisedBatchNorm2d.Attach(state.Generator, reducer);
        SynchronisedBatchNorm2d.Attach(state.Discriminator, reducer);
    }

    public ICollectives Collectives { get; }

    public int Rank => Collectives.Rank;

    public int WorldSize => Collectives.WorldSize;

    public GradientAverager Generator { get; }

    public GradientAverager Discriminator { get; }

    /// <summary>
    /// The contrastive loss's view of the global batch: every rank's embeddings (differentiable) and labels with this
    /// rank's offset; null with one rank or when the spec keeps negatives local.
    /// </summary>
    /// <param name="embeddings">This rank's f(x): (b, D).</param>
    /// <param name="labels">This rank's labels: (b).</param>
    public GlobalBatch? GlobalBatch(Tensor embeddings, Tensor labels, ContrastiveNegatives negatives)
    {
        if (WorldSize == 1 || negatives == ContrastiveNegatives.LocalBatch) return null;
        var all = DifferentiableGather.Apply(Collectives, embeddings);                   // (W·b, D)
        var allLabels = Collectives.AllGather(labels.to(ScalarType.Int64).contiguous());  // (W·b)
        return new GlobalBatch(all, allLabels, Rank * embeddings.shape[0]);
    }

    /// <summary>
    /// The step's losses averaged over ranks: each rank's are means over its share, so the average is the global
    /// batch's — what the loss table shows and what the divergence guard judges, identically on every rank.
    /// </summary>
    public StepLosses Average(StepLosses local)
    {
        if (WorldSize == 1) return local;
        var sums = SumOverRanks(local.Named().Select(l => (double)l.Value).ToArray());
        float Mean(int i) => (float)(sums[i] / WorldSize);
        return new StepLosses(Mean(0), Mean(1), Mean(2), Mean(3), Mean(4), Mean(5), Mean(6));
    }

    /// <summary>True on every rank when any rank says so (e.g. Ctrl-C reached one): all ranks stop after the same step.</summary>
    public bool AnyRank(bool flag) => WorldSize == 1 ? flag : SumOverRanks(new[] { flag ? 1.0 : 0.0 })[0] > 0;

    private double[] SumOverRanks(double[] values)
    {
        using var buffer = tensor(values, dtype: ScalarType.Float64);                     // (n)
        Collectives.AllReduceSum(buffer);
        return buffer.data<double>().ToArray();
    }

    public void Dispose()
    {
        // The networks outlive this step machinery (sampling, evaluation): they must not keep a group about to close.
        SynchronisedBatchNorm2d.Detach(state.Generator);
        SynchronisedBatchNorm2d.Detach(state.Discriminator);
        Generator.Dispose();
        Discriminator.Dispose();
        if (!ReferenceEquals(statistics, Collectives)) statistics.Dispose();
    }

    /// <summary>Lets the models' synchronised batch norm (which knows nothing of MPI) reduce through a group.</summary>
    private sealed class CollectivesStatisticsReducer(ICollectives group) : IBatchStatisticsReducer
    {
        public int WorldSize => group.WorldSize;

        public void AllReduceSum(Tensor tensor) => group.AllReduceSum(tensor);
    }
}
