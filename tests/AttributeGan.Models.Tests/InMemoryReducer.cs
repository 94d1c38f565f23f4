using System;
using System.Linq;
using System.Threading;
using AttributeGan.Models.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>
/// All-reduce between threads of one process, standing in for MPI ranks: each "rank" adds its values into a shared
/// accumulator, waits for the others, reads the sum back. Two barrier phases per reduction; the accumulator is cleared
/// after the second, when every rank has read it. A rank that never arrives fails the others after a timeout instead
/// of hanging the test run.
/// </summary>
internal sealed class InMemoryReducerGroup
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private readonly Barrier barrier;
    private readonly object gate = new();
    private double[]? accumulator;

    public InMemoryReducerGroup(int worldSize)
    {
        WorldSize = worldSize;
        // Phase 0 of each pair: every rank has added; phase 1: every rank has read, so the next reduction starts from zero.
        barrier = new Barrier(worldSize, b =>
        {
            if (b.CurrentPhaseNumber % 2 == 1) accumulator = null;
        });
    }

    public int WorldSize { get; }

    /// <summary>Reductions completed so far (counted on rank 0).</summary>
    public int Reductions { get; private set; }

    public IBatchStatisticsReducer Rank(int rank) => new RankReducer(this, rank);

    private void AllReduceSum(Tensor t, int rank)
    {
        if (t.dtype != ScalarType.Float64 || !t.is_contiguous())
        {
            throw new ArgumentException($"the reducer takes contiguous float64 tensors, got {t.dtype}");
        }

        double[] local;
        using (var cpu = t.cpu())
        {
            local = cpu.data<double>().ToArray();
        }

        lock (gate)
        {
            accumulator ??= new double[local.Length];
            if (accumulator.Length != local.Length)
            {
                throw new InvalidOperationException($"ranks reduce tensors of different sizes: {accumulator.Length} and {local.Length}");
            }
            for (var i = 0; i < local.Length; i++) accumulator[i] += local[i];
        }
        Wait();

        double[] sum;
        lock (gate)
        {
            sum = (double[])accumulator!.Clone();
        }
        Wait();

        if (rank == 0) Reductions++;
        using var result = torch.tensor(sum, ScalarType.Float64).reshape(t.shape);
        t.copy_(result);
    }

    private void Wait()
    {
        if (!barrier.SignalAndWait(Timeout))
        {
            throw new TimeoutException("a rank did not reach the all-reduce");
        }
    }

    private sealed class RankReducer(InMemoryReducerGroup group, int rank) : IBatchStatisticsReducer
    {
        public int WorldSize => group.WorldSize;

        public void AllReduceSum(Tensor t) => group.AllReduceSum(t, rank);
    }
}

/// <summary>A reducer that adds nothing (one rank's view of a group whose other ranks contribute zeros) and can be told to fail.</summary>
internal sealed class LoneReducer(int worldSize, int failOnCall = -1) : IBatchStatisticsReducer
{
    public int WorldSize => worldSize;

    public int Calls { get; private set; }

    public void AllReduceSum(Tensor t)
    {
        Calls++;
        if (Calls == failOnCall)
        {
            throw new InvalidOperationException("reducer failed on purpose");
        }
    }
}
