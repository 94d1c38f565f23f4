using System;
using System.Globalization;
using System.Linq;
using Xunit;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>Every collective over MPICH between two processes, checked value by value on each rank.</summary>
public class MpiCollectivesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(180);

    [Fact]
    public void AllReduce_sums_exactly_for_every_type_and_layout_on_every_rank()
    {
        var job = Completed("allreduce");
        for (var rank = 0; rank < ProbeJob.Ranks; rank++)
        {
            Assert.Equal(Values("6", Enumerable.Range(0, 6).Select(i => 3.0 * i)), job.Value(rank, "allreduce.float32"));
            Assert.Equal(Values("3", new[] { 0.5, -1.25, 1e-300 }.Select(v => v * 1 + v * 2)), job.Value(rank, "allreduce.float64"));
            Assert.Equal("3:2199023255553,-18014398509481987,1", job.Value(rank, "allreduce.int64"));
            Assert.Equal(Values("3x4", Enumerable.Range(0, 12).Select(i => 3.0 * i)), job.Value(rank, "allreduce.strided"));
            // Only elements 3..6 took part; the rest keep this rank's own values.
            Assert.Equal(Values("10", Enumerable.Range(0, 10).Select(i => i is >= 3 and <= 6 ? 3.0 * i : (rank + 1.0) * i)), job.Value(rank, "allreduce.offset"));
            Assert.Equal("2:4.5,6", job.Value(rank, "allreduce.float16"));
            Assert.Equal("3", job.Value(rank, "allreduce.nonblocking.min"));
            Assert.Equal("3", job.Value(rank, "allreduce.nonblocking.max"));
            Assert.Equal("2", job.Value(rank, "world"));
            Assert.StartsWith("MPI (MPICH ", job.Value(rank, "engine"), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Broadcast_gives_every_rank_the_root_values_and_module_state()
    {
        var job = Completed("broadcast");
        var rootModule = job.Value(0, "broadcast.module.before");
        Assert.NotEqual(rootModule, job.Value(1, "broadcast.module.before"));   // the ranks really started different
        for (var rank = 0; rank < ProbeJob.Ranks; rank++)
        {
            Assert.Equal("5:10,11,12,13,14", job.Value(rank, "broadcast.float32"));         // root 1
            Assert.Equal("2:1125899906842624,0", job.Value(rank, "broadcast.int64"));       // root 0
            Assert.Equal(Values("2x3", Enumerable.Range(0, 6).Select(i => i + 0.25)), job.Value(rank, "broadcast.float64.strided"));
            Assert.Equal(rootModule, job.Value(rank, "broadcast.module.after"));
        }
    }

    [Fact]
    public void AllGather_concatenates_in_rank_order_and_every_rank_refuses_mismatched_shapes()
    {
        var job = Completed("gather");
        for (var rank = 0; rank < ProbeJob.Ranks; rank++)
        {
            Assert.Equal("4x3:0,1,2,3,4,5,100,101,102,103,104,105", job.Value(rank, "gather.float32"));
            Assert.Equal($"2:1,{(1L << 45) + 1}", job.Value(rank, "gather.int64"));
            Assert.Equal("6:0.25,0.25,0.25,1.25,1.25,1.25", job.Value(rank, "gather.float64"));
            Assert.Equal("refused", job.Value(rank, "gather.mismatch"));
        }
    }

    [Fact]
    public void AllGatherText_returns_every_rank_text_in_rank_order_including_empty_and_non_ascii()
    {
        var job = Completed("gather-text");
        for (var rank = 0; rank < ProbeJob.Ranks; rank++)
        {
            Assert.Equal("rank 0: ünïcode ✓|", job.Value(rank, "text.first"));
            Assert.Equal("second from 0|second from 1", job.Value(rank, "text.second"));
        }
    }

    internal static ProbeJob Completed(string scenario)
    {
        var job = ProbeJob.Run(scenario, Timeout);
        Assert.True(job.ExitCode == 0, job.ToString());
        for (var rank = 0; rank < ProbeJob.Ranks; rank++) Assert.Equal("true", job.Value(rank, "done"));
        return job;
    }

    // The probe's format: shape, colon, values in round-trip notation.
    private static string Values(string shape, System.Collections.Generic.IEnumerable<double> values) =>
        $"{shape}:{string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}";
}
