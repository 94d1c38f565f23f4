using System;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// The collective operations data-parallel training needs, over a fixed group of <see cref="WorldSize"/> processes.
/// Every rank must call the same operations in the same order with tensors of the same shape and type.
/// Tensors may live on any device; implementations that communicate through host memory stage through the CPU.
/// Supported element types: float32, float64, int64. The single-process implementation makes every operation a no-op,
/// so training has one code path whatever the number of ranks.
/// </summary>
public interface ICollectives : IDisposable
{
    /// <summary>This process's rank, 0 ≤ Rank &lt; WorldSize.</summary>
    int Rank { get; }

    int WorldSize { get; }

    /// <summary>The engine's name for messages, e.g. "single process" or "MPI (MPICH 4.0.2)".</summary>
    string Description { get; }

    /// <summary>Sums <paramref name="tensor"/> element-wise over all ranks, in place; every rank ends with the sum.</summary>
    void AllReduceSum(Tensor tensor);

    /// <summary>
    /// Starts summing <paramref name="tensor"/> over all ranks in place and returns at once; the tensor must not be
    /// read or written until <see cref="IPendingReduction.Wait"/> returns. Must be contiguous (its memory is handed
    /// to the engine).
    /// </summary>
    IPendingReduction StartAllReduceSum(Tensor tensor);

    /// <summary>Overwrites <paramref name="tensor"/> on every rank with its value on <paramref name="root"/>.</summary>
    void Broadcast(Tensor tensor, int root = 0);

    /// <summary>
    /// Concatenates every rank's <paramref name="tensor"/> along dimension 0 in rank order: (n, ...) on each rank →
    /// (WorldSize·n, ...). All ranks pass the same shape. Not differentiable (see <see cref="DifferentiableGather"/>).
    /// </summary>
    Tensor AllGather(Tensor tensor);

    /// <summary>Every rank's <paramref name="text"/>, indexed by rank (for start-up checks such as hash exchange).</summary>
    string[] AllGatherText(string text);

    /// <summary>Returns when every rank has called it.</summary>
    void Barrier();

    /// <summary>
    /// Ends every rank of the job at once with <paramref name="exitCode"/> after printing <paramref name="message"/>
    /// to standard error (a failing rank calls it so that no other rank waits forever). Does not return.
    /// </summary>
    void Abort(int exitCode, string message);

    /// <summary>
    /// A new group of the same ranks whose operations never match this group's (MPI: a duplicated communicator),
    /// so independent streams of collectives, e.g. gradient buckets and batch-norm statistics, cannot interleave.
    /// </summary>
    ICollectives Duplicate();
}

/// <summary>A non-blocking reduction in flight.</summary>
public interface IPendingReduction
{
    /// <summary>Lets the engine make progress; true once the reduction is complete.</summary>
    bool Test();

    /// <summary>Blocks until the reduction is complete.</summary>
    void Wait();
}
