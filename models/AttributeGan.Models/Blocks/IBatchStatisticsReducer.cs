using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// The one collective a <see cref="SynchronisedBatchNorm2d"/> needs: a sum over the processes of a data-parallel job.
/// Defined here rather than in the runtime so that the models do not depend on any communication engine; the runtime
/// adapts its collectives to it (ideally on a communicator of its own, so that batch-norm reductions never interleave
/// with gradient reductions).
/// </summary>
public interface IBatchStatisticsReducer
{
    /// <summary>Processes taking part; 1 means there is nothing to synchronise.</summary>
    int WorldSize { get; }

    /// <summary>
    /// Sums <paramref name="t"/> element-wise over all processes, in place; every process ends with the same sum.
    /// <paramref name="t"/> is a contiguous float64 tensor on the CPU or on the module's device. Every process calls
    /// this the same number of times, in the same order, with tensors of the same shape.
    /// </summary>
    void AllReduceSum(Tensor t);
}
