using System;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Distributed.Probe;

/// <summary>Each collective with rank-dependent inputs whose exact results the tests know.</summary>
internal static class CollectiveScenarios
{
    public static void AllReduce(ICollectives c)
    {
        var factor = c.Rank + 1;
        var f32 = torch.arange(6, ScalarType.Float32) * factor;
        c.AllReduceSum(f32);
        Report.Line(c, "allreduce.float32", Report.Values(f32));

        var f64 = torch.tensor(new[] { 0.5, -1.25, 1e-300 }) * factor;
        c.AllReduceSum(f64);
        Report.Line(c, "allreduce.float64", Report.Values(f64));

        // Beyond 2^53: exact only if summed as integers.
        var i64 = torch.tensor(new[] { (1L << 40) + c.Rank, -(1L << 53) - 3L * c.Rank, c.Rank });
        c.AllReduceSum(i64);
        Report.Line(c, "allreduce.int64", Report.Values(i64));

        // Strided: the transposed view is reduced through a copy and written back into the base.
        var base2d = torch.arange(12, ScalarType.Float32).reshape(3, 4) * factor;
        c.AllReduceSum(base2d.t());
        Report.Line(c, "allreduce.strided", Report.Values(base2d));

        // Contiguous with a storage offset: only elements 3..6 of this rank's tensor take part.
        var line = torch.arange(10, ScalarType.Float32) * factor;
        c.AllReduceSum(line.narrow(0, 3, 4));
        Report.Line(c, "allreduce.offset", Report.Values(line));

        // Half precision is summed in float32 and written back.
        var f16 = torch.tensor(new[] { 1.5f, 2f }).to(ScalarType.Float16) * factor;
        c.AllReduceSum(f16);
        Report.Line(c, "allreduce.float16", Report.Values(f16.to(ScalarType.Float32)));

        var pendingTarget = torch.full(1000, factor, ScalarType.Float32);
        var pending = c.StartAllReduceSum(pendingTarget);
        var polls = 0;
        while (!pending.Test()) polls++;
        pending.Wait();   // after completion: returns at once
        Report.Line(c, "allreduce.nonblocking.polls", polls);
        Report.Line(c, "allreduce.nonblocking.min", pendingTarget.min().item<float>());
        Report.Line(c, "allreduce.nonblocking.max", pendingTarget.max().item<float>());
    }

    public static void Broadcast(ICollectives c)
    {
        var f32 = torch.arange(5, ScalarType.Float32) + 10 * c.Rank;
        c.Broadcast(f32, root: 1);
        Report.Line(c, "broadcast.float32", Report.Values(f32));

        var i64 = torch.tensor(new[] { (1L << 50) + c.Rank, -7L * c.Rank });
        c.Broadcast(i64, root: 0);
        Report.Line(c, "broadcast.int64", Report.Values(i64));

        var f64 = torch.arange(6, ScalarType.Float64).reshape(2, 3) + 0.125 * (c.Rank + 1);
        c.Broadcast(f64.t(), root: 1);
        Report.Line(c, "broadcast.float64.strided", Report.Values(f64));

        // Different initial weights and batch-norm statistics on each rank; rank 0's everywhere afterwards.
        torch.manual_seed(100 + c.Rank);
        using var module = nn.Sequential(nn.Conv2d(3, 4, 3), nn.BatchNorm2d(4), nn.Linear(5, 2));
        using (torch.no_grad())
        {
            foreach (var (name, buffer) in module.named_buffers())
            {
                if (name.EndsWith("running_mean", StringComparison.Ordinal)) buffer.fill_(c.Rank + 1);
            }
        }

        Report.Line(c, "broadcast.module.before", StateDigest.Of(module));
        ParameterBroadcast.FromRoot(c, module, root: 0);
        Report.Line(c, "broadcast.module.after", StateDigest.Of(module));
    }

    public static void Gather(ICollectives c)
    {
        var f32 = torch.arange(6, ScalarType.Float32).reshape(2, 3) + 100 * c.Rank;
        Report.Line(c, "gather.float32", Report.Values(c.AllGather(f32)));

        var i64 = torch.tensor(new[] { c.Rank * (1L << 45) + 1 });
        Report.Line(c, "gather.int64", Report.Values(c.AllGather(i64)));

        var f64 = torch.full(3, c.Rank + 0.25, ScalarType.Float64);
        Report.Line(c, "gather.float64", Report.Values(c.AllGather(f64)));

        // Every rank sees every shape, so every rank refuses the mismatch (no hang, no garbage).
        try
        {
            c.AllGather(torch.zeros(2 + c.Rank, 3));
            Report.Line(c, "gather.mismatch", "accepted");
        }
        catch (ArgumentException e)
        {
            Report.Line(c, "gather.mismatch", e.Message.Contains("same shape", StringComparison.Ordinal) ? "refused" : e.Message);
        }
    }

    public static void GatherText(ICollectives c)
    {
        var first = c.AllGatherText(c.Rank == 0 ? "rank 0: ünïcode ✓" : string.Empty);
        Report.Line(c, "text.first", string.Join('|', first));
        var second = c.AllGatherText($"second from {c.Rank}");
        Report.Line(c, "text.second", string.Join('|', second));
    }
}
