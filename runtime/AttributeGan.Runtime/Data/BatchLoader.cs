using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AttributeGan.Models;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Data;

/// <summary>
/// Serves training batches with stateless determinism: batch n is a pure function of (seed, n, rank, worldSize).
/// Epoch e = n / E (E = ⌊N / (B·W)⌋ batches per epoch, the remainder of each epoch unused) visits the samples
/// in a permutation seeded by (seed, e); batch n takes the global slice j = n mod E of B·W samples of that
/// permutation, and rank r its contiguous sub-slice [r·B, (r+1)·B), so ranks are disjoint and together cover
/// the global batch. Augmentation is seeded by (seed, n) per batch and (seed, n, position in the global batch) per
/// sample, so splitting a global batch over ranks changes nothing. Resuming at <c>startBatch = n</c> therefore
/// yields exactly the batches an uninterrupted run would, with any number of prefetch threads.
/// </summary>
/// <remarks>
/// Decoding (or drawing) runs ahead on thread-pool tasks, at most <c>prefetch</c> batches in flight, producing
/// plain arrays only; tensors are created on the consumer's thread in <see cref="Next"/>, so they join the
/// consumer's dispose scope (a per-step <c>NewDisposeScope</c> frees them) and never one of a worker thread.
/// </remarks>
public sealed class BatchLoader : IDisposable
{
    private const long PermutationStream = 0xE90C;
    private const long AugmentationStream = 0xA06;

    private readonly DataSet data;
    private readonly AugmentationOptions augment;
    private readonly Device device;
    private readonly int prefetch;
    private readonly Dictionary<long, Task<HostBatch>> pending = new();
    private readonly CancellationTokenSource stop = new();
    private readonly object permutationLock = new();
    private (long Epoch, int[] Order) permutation = (-1, Array.Empty<int>());
    private bool disposed;

    public BatchLoader(DataSet data, int batchSize, int seed, AugmentationOptions augment, int rank = 0, int worldSize = 1, long startBatch = 0,
        int prefetch = 4, Device? device = null)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be positive.");
        if (worldSize <= 0 || rank < 0 || rank >= worldSize) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"Rank must be in 0..{worldSize - 1} (world size {worldSize}).");
        if (startBatch < 0) throw new ArgumentOutOfRangeException(nameof(startBatch), startBatch, "The first batch number cannot be negative.");
        if (prefetch < 0) throw new ArgumentOutOfRangeException(nameof(prefetch), prefetch, "Prefetch depth cannot be negative.");
        long global = (long)batchSize * worldSize;
        if (data.Count < global)
            throw new ArgumentException($"The data set has {data.Count} samples after filtering; one global batch needs {batchSize} × {worldSize} ranks = {global}. " +
                                        "Use a smaller batch or more data.", nameof(data));
        this.data = data;
        this.augment = augment;
        this.device = device ?? CPU;
        this.prefetch = prefetch;
        BatchSize = batchSize;
        Seed = seed;
        Rank = rank;
        WorldSize = worldSize;
        BatchesPerEpoch = data.Count / global;
        NextBatch = startBatch;
        for (long n = startBatch; n < startBatch + prefetch; n++) Schedule(n);
    }

    public int BatchSize { get; }

    public int Seed { get; }

    public int Rank { get; }

    public int WorldSize { get; }

    public long BatchesPerEpoch { get; }

    /// <summary>The number n of the batch <see cref="Next"/> returns next.</summary>
    public long NextBatch { get; private set; }

    /// <summary>Indices into <see cref="DataSet.Samples"/> of rank <see cref="Rank"/>'s part of batch <paramref name="batch"/>.</summary>
    public int[] Indices(long batch)
    {
        long epoch = batch / BatchesPerEpoch, slice = batch % BatchesPerEpoch;
        int[] order;
        lock (permutationLock)
        {
            if (permutation.Epoch != epoch)
            {
                var fresh = Enumerable.Range(0, data.Count).ToArray();
                new SeededRandom(SeededRandom.Mix(Seed, PermutationStream, epoch)).Shuffle(fresh);
                permutation = (epoch, fresh);
            }
            order = permutation.Order;
        }
        long start = slice * BatchSize * WorldSize + (long)Rank * BatchSize;
        return order.AsSpan((int)start, BatchSize).ToArray();
    }

    /// <summary>Position in the global batch of this rank's sample <paramref name="index"/>: rank·B + index.</summary>
    public int GlobalPosition(int index) => Rank * BatchSize + index;

    /// <summary>Batch <see cref="NextBatch"/> as tensors on the loader's device; the caller disposes it (or its dispose scope does).</summary>
    public TrainingBatch Next()
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        long n = NextBatch++;
        HostBatch host;
        if (pending.Remove(n, out var task))
        {
            Schedule(n + prefetch);
            host = task.GetAwaiter().GetResult();   // rethrows a worker's DataSetException as itself
        }
        else
        {
            host = Build(n, CancellationToken.None);
        }

        int resolution = data.Resolution;
        var attributes = AttributeVector.Stack(host.Indices.Select(i => data.Layout.Encode(data.Samples[i].Levels)).ToList(), device);   // (B, A)
        var labels = tensor(host.Indices.Select(i => (long)data.Samples[i].Label).ToArray(), device: device);                              // (B)
        var images = tensor(host.Images, new long[] { BatchSize, 3, resolution, resolution }, device: device);                              // (B, 3, R, R)
        if (augment.CropProbability > 0 || augment.Colour || augment.Translation)
        {
            // Seeded by batch number and position in the global batch, not by rank: world-size invariant.
            var sampleSeeds = Enumerable.Range(0, BatchSize).Select(b => SeededRandom.Mix(Seed, AugmentationStream, n, GlobalPosition(b))).ToArray();
            var augmented = Augmentation.Apply(images, augment, SeededRandom.Mix(Seed, AugmentationStream, n), sampleSeeds);
            images.Dispose();
            images = augmented;
        }
        return new TrainingBatch(images, attributes, labels) { Number = n, SampleIndices = host.Indices };
    }

    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        stop.Cancel();
        foreach (var task in pending.Values)
        {
            try
            {
                task.Wait();
            }
            catch (AggregateException)
            {
                // A cancelled or failed prefetch of a batch nobody will ask for: nothing to report.
            }
        }
        pending.Clear();
        stop.Dispose();
    }

    private void Schedule(long n)
    {
        if (prefetch == 0) return;
        var token = stop.Token;
        pending[n] = Task.Run(() => Build(n, token), token);
    }

    /// <summary>Decodes one batch into host memory: (B·3·R·R) floats in sample order. Touches no TorchSharp state.</summary>
    private HostBatch Build(long n, CancellationToken token)
    {
        var indices = Indices(n);
        int plane = 3 * data.Resolution * data.Resolution;
        var images = new float[BatchSize * plane];
        for (int b = 0; b < indices.Length; b++)
        {
            token.ThrowIfCancellationRequested();
            data.Image(indices[b]).CopyTo(images, b * plane);
        }
        return new HostBatch(indices, images);
    }

    private sealed record HostBatch(int[] Indices, float[] Images);
}
