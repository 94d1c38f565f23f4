using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Data;

/// <summary>One synthetic Tiny set (16×16) shared by the loader tests; drawing is lazy and thread-safe.</summary>
public sealed class TinyDataFixture
{
    public DataSet Data { get; } = DataSet.Synthetic(TinySpec.Instance, 90, 21);
}

public class BatchLoaderTests : IClassFixture<TinyDataFixture>
{
    private static readonly AugmentationOptions Augment = AugmentationOptions.DiffAugment with { CropProbability = 0.5 };
    private readonly DataSet data;

    public BatchLoaderTests(TinyDataFixture fixture) => data = fixture.Data;

    [Fact]
    public void A_batch_holds_images_one_hot_attributes_and_labels_of_its_samples()
    {
        using var loader = new BatchLoader(data, 8, 1, AugmentationOptions.None);
        using var batch = loader.Next();

        Assert.Equal(new long[] { 8, 3, 16, 16 }, batch.Images.shape);
        Assert.Equal(ScalarType.Float32, batch.Images.dtype);
        Assert.Equal(new long[] { 8, 5 }, batch.Attributes.shape);   // 3 + 2 levels
        Assert.Equal(ScalarType.Int64, batch.Labels.dtype);
        Assert.Equal(0, batch.Number);
        var attributes = batch.Attributes.data<float>().ToArray();
        var labels = batch.Labels.data<long>().ToArray();
        var images = batch.Images.data<float>().ToArray();
        for (int b = 0; b < 8; b++)
        {
            var sample = data.Samples[batch.SampleIndices[b]];
            Assert.Equal(TinySpec.Instance.Attributes.Encode(sample.Levels).Values, attributes.Skip(b * 5).Take(5));
            Assert.Equal(sample.Label, labels[b]);
            Assert.Equal(data.Image(batch.SampleIndices[b]), images.Skip(b * 768).Take(768));
        }
    }

    [Fact]
    public void Batches_depend_only_on_seed_and_number_so_a_resumed_run_sees_the_same_batches()
    {
        Assert.InRange(data.Count / 8, 9, 13);
        var straight = Run(new BatchLoader(data, 8, 5, Augment), 14);   // ≈ 10 batches per epoch: crosses into epoch 1
        var again = Run(new BatchLoader(data, 8, 5, Augment), 14);
        var resumed = Run(new BatchLoader(data, 8, 5, Augment, startBatch: 9), 5);
        var otherSeed = Run(new BatchLoader(data, 8, 6, Augment), 1);

        Assert.Equal(straight, again);
        Assert.Equal(straight.Skip(9), resumed);
        Assert.NotEqual(straight[0], otherSeed[0]);
    }

    [Fact]
    public void Prefetching_threads_do_not_change_the_batches()
    {
        var synchronous = Run(new BatchLoader(data, 8, 2, Augment, prefetch: 0), 6);
        var deep = Run(new BatchLoader(data, 8, 2, Augment, prefetch: 6), 6);
        Assert.Equal(synchronous, deep);
    }

    [Fact]
    public void An_epoch_visits_each_sample_at_most_once_and_the_next_epoch_reshuffles()
    {
        using var loader = new BatchLoader(data, 8, 3, AugmentationOptions.None, prefetch: 0);
        int perEpoch = data.Count / 8;
        Assert.Equal(perEpoch, loader.BatchesPerEpoch);
        var epoch0 = Enumerable.Range(0, perEpoch).SelectMany(n => loader.Indices(n)).ToArray();
        var epoch1 = Enumerable.Range(perEpoch, perEpoch).SelectMany(n => loader.Indices(n)).ToArray();

        Assert.Equal(8 * perEpoch, epoch0.Distinct().Count());
        Assert.Equal(8 * perEpoch, epoch1.Distinct().Count());
        Assert.NotEqual(epoch0, epoch1);
    }

    [Fact]
    public void Ranks_take_disjoint_contiguous_slices_that_cover_the_global_batch()
    {
        const int world = 3, perRank = 4;
        using var single = new BatchLoader(data, perRank * world, 9, AugmentationOptions.None, prefetch: 0);
        Assert.InRange(single.BatchesPerEpoch, 5, 8);
        var ranks = Enumerable.Range(0, world).Select(r => new BatchLoader(data, perRank, 9, Augment, rank: r, worldSize: world, prefetch: 2)).ToArray();
        try
        {
            for (long n = 0; n < 9; n++)   // ≈ 7 global batches per epoch: crosses an epoch boundary
            {
                var parts = ranks.Select(r => r.Indices(n)).ToArray();
                Assert.Equal(single.Indices(n), parts.SelectMany(p => p));
                Assert.Equal(perRank * world, parts.SelectMany(p => p).Distinct().Count());
            }
            using var batch0 = ranks[0].Next();
            using var batch1 = ranks[1].Next();
            Assert.False(batch0.Images.allclose(batch1.Images));
            Assert.Equal(ranks[1].Indices(0), batch1.SampleIndices);
        }
        finally
        {
            foreach (var loader in ranks) loader.Dispose();
        }
    }

    [Fact]
    public void Augmented_ranks_concatenate_to_the_single_process_batch_bit_for_bit()
    {
        // World-size invariance: the same global batch, augmented, whether one process or two draw it.
        var always = Augment with { CropProbability = 1 };
        using var single = new BatchLoader(data, 8, 4, always, prefetch: 0);
        using var rank0 = new BatchLoader(data, 4, 4, always, rank: 0, worldSize: 2, prefetch: 0);
        using var rank1 = new BatchLoader(data, 4, 4, always, rank: 1, worldSize: 2, prefetch: 0);
        for (int n = 0; n < 2; n++)
        {
            using var whole = single.Next();
            using var first = rank0.Next();
            using var second = rank1.Next();
            using var joined = torch.cat(new[] { first.Images, second.Images }, 0);   // (8, 3, R, R)
            Assert.True(joined.eq(whole.Images).all().item<bool>(), $"batch {n} differs");
            using var labels = torch.cat(new[] { first.Labels, second.Labels }, 0);
            Assert.True(labels.eq(whole.Labels).all().item<bool>());
        }
    }

    [Fact]
    public void Too_little_data_for_one_global_batch_is_refused_and_a_disposed_loader_stops()
    {
        var error = Assert.Throws<ArgumentException>(() => new BatchLoader(data, 32, 1, AugmentationOptions.None, rank: 0, worldSize: 3));
        Assert.Contains($"has {data.Count} samples after filtering; one global batch needs 32 × 3 ranks = 96", error.Message);

        var loader = new BatchLoader(data, 8, 1, Augment, prefetch: 4);
        loader.Next().Dispose();
        loader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loader.Next());
    }

    [Fact]
    public void Batch_tensors_join_the_consumers_dispose_scope()
    {
        using var loader = new BatchLoader(data, 8, 1, Augment, prefetch: 2);
        TrainingBatch batch;
        using (NewDisposeScope()) batch = loader.Next();
        Assert.True(batch.Images.IsInvalid);
    }

    /// <summary>Takes <paramref name="count"/> batches as plain arrays (indices, images, labels) and disposes the loader.</summary>
    private static List<string> Run(BatchLoader loader, int count)
    {
        using (loader)
        {
            var result = new List<string>();
            for (int i = 0; i < count; i++)
            {
                using var batch = loader.Next();
                result.Add(string.Join(",", batch.SampleIndices) + "|" + string.Join(",", batch.Labels.data<long>().ToArray()) + "|" +
                           Convert.ToBase64String(batch.Images.data<float>().ToArray().SelectMany(BitConverter.GetBytes).ToArray()));
            }
            return result;
        }
    }
}
