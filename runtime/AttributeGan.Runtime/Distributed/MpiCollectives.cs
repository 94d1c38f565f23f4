using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// <see cref="ICollectives"/> over one MPI communicator (MPICH through <see cref="MpiNative"/>). Tensors are
/// communicated from host memory: contiguous CPU tensors in place, anything else through a CPU copy
/// (<see cref="HostStage"/>). MPI_THREAD_SERIALIZED is requested: calls come from the training thread, or, for
/// reductions started inside backward, from the autograd thread running it while the training thread waits in
/// backward() (on the CPU that is the training thread itself), so no two calls ever overlap.
/// </summary>
public sealed class MpiCollectives : ICollectives
{
    // MPI counts are C ints: larger tensors go in chunks of this many elements.
    private const int ChunkElements = 1 << 30;

    private static readonly TimeSpan AbortGrace = TimeSpan.FromMilliseconds(500);

    private static readonly object InitGate = new();
    private static bool _initialized;

    private readonly bool _isWorld;
    private int _comm;
    private bool _disposed;

    private MpiCollectives(int comm, bool isWorld, string description)
    {
        _comm = comm;
        _isWorld = isWorld;
        MpiNative.Check(MpiNative.MPI_Comm_rank(comm, out var rank), "MPI_Comm_rank");
        MpiNative.Check(MpiNative.MPI_Comm_size(comm, out var size), "MPI_Comm_size");
        Rank = rank;
        WorldSize = size;
        Description = description;
    }

    public int Rank { get; }

    public int WorldSize { get; }

    public string Description { get; }

    /// <summary>
    /// Initialises MPI (once per process: MPI cannot be initialised again, even after finalising) and returns the world
    /// group; disposing it finalises MPI.
    /// </summary>
    internal static MpiCollectives InitializeWorld()
    {
        MpiNative.EnsureLoaded();
        lock (InitGate)
        {
            if (_initialized || MpiNative.IsInitialized())
                throw new InvalidOperationException("MPI is already initialised in this process; keep the ICollectives from the first Collectives.FromEnvironment() call.");
            MpiNative.Check(MpiNative.MPI_Init_thread(IntPtr.Zero, IntPtr.Zero, MpiNative.ThreadSerialized, out var provided), "MPI_Init_thread");
            _initialized = true;
            if (provided < MpiNative.ThreadSerialized)
                throw new InvalidOperationException($"The MPI library provides thread level {provided}; MPI_THREAD_SERIALIZED ({MpiNative.ThreadSerialized}) is needed.");
            MpiNative.Check(MpiNative.MPI_Comm_set_errhandler(MpiNative.CommWorld, MpiNative.ErrorsReturn), "MPI_Comm_set_errhandler");
        }

        var version = MpiNative.FirstLine(MpiNative.LibraryVersion()).Replace("Version:", string.Empty).Replace('\t', ' ');
        return new MpiCollectives(MpiNative.CommWorld, isWorld: true, $"MPI ({string.Join(' ', version.Split(' ', StringSplitOptions.RemoveEmptyEntries))})");
    }

    public void AllReduceSum(Tensor tensor)
    {
        ThrowIfDisposed();
        using var stage = HostStage.ForReduction(tensor);
        foreach (var (address, count) in Chunks(stage))
            MpiNative.Check(MpiNative.MPI_Allreduce(MpiNative.InPlace, address, count, stage.Datatype, MpiNative.Sum, _comm), "MPI_Allreduce");
        stage.WriteBack();
    }

    public IPendingReduction StartAllReduceSum(Tensor tensor)
    {
        ThrowIfDisposed();
        if (!tensor.is_contiguous()) throw new ArgumentException("A non-blocking reduction needs a contiguous tensor.", nameof(tensor));
        var stage = HostStage.ForReduction(tensor);
        var requests = new List<int>();
        try
        {
            foreach (var (address, count) in Chunks(stage))
            {
                MpiNative.Check(MpiNative.MPI_Iallreduce(MpiNative.InPlace, address, count, stage.Datatype, MpiNative.Sum, _comm, out var request), "MPI_Iallreduce");
                requests.Add(request);
            }
        }
        catch
        {
            stage.Dispose();
            throw;
        }

        return new MpiPendingReduction(stage, requests.ToArray());
    }

    public void Broadcast(Tensor tensor, int root = 0)
    {
        ThrowIfDisposed();
        CheckRank(root, nameof(root));
        using var stage = HostStage.ForTransfer(tensor, copyIn: Rank == root);
        foreach (var (address, count) in Chunks(stage))
            MpiNative.Check(MpiNative.MPI_Bcast(address, count, stage.Datatype, root, _comm), "MPI_Bcast");
        stage.WriteBack();
    }

    public Tensor AllGather(Tensor tensor)
    {
        ThrowIfDisposed();
        if (tensor.dim() == 0) throw new ArgumentException("AllGather concatenates along dimension 0; pass a tensor of at least one dimension.", nameof(tensor));
        CheckSameShapeEverywhere(tensor);
        var gatheredShape = tensor.shape.ToArray();
        gatheredShape[0] *= WorldSize;
        var gathered = torch.empty(gatheredShape, tensor.dtype, torch.CPU);   // (WorldSize·n, ...)
        using (var send = HostStage.ForTransfer(tensor))
        using (var receive = HostStage.ForTransfer(gathered, copyIn: false))
        {
            if (send.Count > 0)
            {
                var count = checked((int)send.Count);
                MpiNative.Check(MpiNative.MPI_Allgather(send.Address, count, send.Datatype, receive.Address, count, receive.Datatype, _comm), "MPI_Allgather");
            }

            receive.WriteBack();
        }

        return tensor.device_type == DeviceType.CPU ? gathered : gathered.to(tensor.device);
    }

    public string[] AllGatherText(string text)
    {
        ThrowIfDisposed();
        var bytes = Encoding.UTF8.GetBytes(text);
        var lengths = new int[WorldSize];
        MpiNative.Check(MpiNative.MPI_Allgather(new[] { bytes.Length }, 1, MpiNative.Int, lengths, 1, MpiNative.Int, _comm), "MPI_Allgather");
        var offsets = new int[WorldSize];
        for (var r = 1; r < WorldSize; r++) offsets[r] = checked(offsets[r - 1] + lengths[r - 1]);
        var all = new byte[offsets[^1] + lengths[^1]];
        MpiNative.Check(MpiNative.MPI_Allgatherv(bytes, bytes.Length, MpiNative.Byte, all, lengths, offsets, MpiNative.Byte, _comm), "MPI_Allgatherv");
        return Enumerable.Range(0, WorldSize).Select(r => Encoding.UTF8.GetString(all, offsets[r], lengths[r])).ToArray();
    }

    public void Barrier()
    {
        ThrowIfDisposed();
        MpiNative.Check(MpiNative.MPI_Barrier(_comm), "MPI_Barrier");
    }

    public void Abort(int exitCode, string message)
    {
        Console.Out.Flush();
        Console.Error.WriteLine(message);
        Console.Error.Flush();
        // Hydra forwards each rank's output through its proxy and tears the job down on MPI_Abort without draining
        // those pipes: measured, the message was lost in 3 of 15 aborts. A pause first lets the proxy forward it.
        Thread.Sleep(AbortGrace);
        // MPI_Abort kills every rank; it only returns if MPI is unusable, and then this rank exits alone.
        if (!_disposed && !MpiNative.IsFinalized()) MpiNative.MPI_Abort(_comm, exitCode);
        Environment.Exit(exitCode);
    }

    public ICollectives Duplicate()
    {
        ThrowIfDisposed();
        MpiNative.Check(MpiNative.MPI_Comm_dup(_comm, out var duplicate), "MPI_Comm_dup");
        return new MpiCollectives(duplicate, isWorld: false, Description);
    }

    /// <summary>Frees a duplicated communicator; on the world group finalises MPI (collective: every rank must call it).</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (MpiNative.IsFinalized()) return;
        if (_isWorld)
            MpiNative.Check(MpiNative.MPI_Finalize(), "MPI_Finalize");
        else
            MpiNative.Check(MpiNative.MPI_Comm_free(ref _comm), "MPI_Comm_free");
    }

    internal static IEnumerable<(IntPtr Address, int Count)> Chunks(HostStage stage)
    {
        for (long offset = 0; offset < stage.Count; offset += ChunkElements)
            yield return (stage.Address + (nint)(offset * stage.ElementBytes), (int)Math.Min(ChunkElements, stage.Count - offset));
    }

    // MPI_Allgather with unequal counts reads past buffers or truncates silently: compare shapes first (one tiny call).
    private void CheckSameShapeEverywhere(Tensor tensor)
    {
        var shape = tensor.shape;
        var mine = new long[8];
        mine[0] = shape.Length;
        mine[1] = tensor.numel();
        for (var d = 0; d < Math.Min(shape.Length, 6); d++) mine[d + 2] = shape[d];
        var all = new long[8 * WorldSize];
        MpiNative.Check(MpiNative.MPI_Allgather(mine, 8, MpiNative.Int64, all, 8, MpiNative.Int64, _comm), "MPI_Allgather");
        for (var r = 0; r < WorldSize; r++)
        {
            if (!all.AsSpan(8 * r, 8).SequenceEqual(mine))
                throw new ArgumentException($"AllGather needs the same shape on every rank: rank {Rank} has [{string.Join(", ", shape)}], rank {r} has [{string.Join(", ", all.Skip(8 * r + 2).Take((int)Math.Min(all[8 * r], 6)))}].", nameof(tensor));
        }
    }

    private void CheckRank(int rank, string name)
    {
        if (rank < 0 || rank >= WorldSize) throw new ArgumentOutOfRangeException(name, rank, $"Ranks are 0 to {WorldSize - 1}.");
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);
}
