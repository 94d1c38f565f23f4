using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>GradientAverager in one process: a group of one, and a pretend group of two identical ranks.</summary>
public class GradientAveragerTests
{
    [Fact]
    public void A_group_of_one_touches_nothing_the_gradients_stay_the_same_tensors_with_the_same_values()
    {
        torch.manual_seed(3);
        using var net = new TwoPassNet();
        var (real, fake) = Data();
        var untouchable = new UntouchableSingleRank();
        using var averager = new GradientAverager(untouchable, net, bucketBytes: 64);

        averager.Arm();
        net.Loss(real, fake).backward();
        var before = net.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!);
        var values = before.ToDictionary(p => p.Key, p => p.Value.clone());
        averager.Average();

        Assert.NotEmpty(before);
        foreach (var (name, p) in net.named_parameters())
        {
            if (!before.TryGetValue(name, out var gradient))
            {
                Assert.Null(p.grad);
                continue;
            }

            Assert.Equal(Address(gradient), Address(p.grad!));   // same memory, not a replacement
            Assert.True(p.grad!.Equals(values[name]), name);
        }

        Assert.Equal(0, averager.BucketsStartedDuringBackward);
        Assert.True(averager.BucketCount > 1);   // the layout is still planned, only nothing is allocated or sent
    }

    [Fact]
    public void Bucket_count_follows_bucket_bytes()
    {
        torch.manual_seed(3);
        using var net = new TwoPassNet();
        var count = net.parameters().Count();
        using var tiny = new GradientAverager(SingleProcessCollectives.Instance, net, bucketBytes: 1);
        using var huge = new GradientAverager(SingleProcessCollectives.Instance, net, bucketBytes: 1L << 30);
        Assert.Equal(count, tiny.BucketCount);
        Assert.Equal(1, huge.BucketCount);
        Assert.Throws<ArgumentOutOfRangeException>(() => new GradientAverager(SingleProcessCollectives.Instance, net, bucketBytes: 0));
    }

    [Fact]
    public void Twin_ranks_average_to_the_local_gradients_and_start_buckets_during_backward_once_the_order_is_settled()
    {
        torch.manual_seed(5);
        using var net = new TwoPassNet();
        var (real, fake) = Data();
        var reference = Gradients(net, () => net.Loss(real, fake));
        var twin = new TwinRankCollectives();
        using var averager = new GradientAverager(twin, net, bucketBytes: 64);
        Assert.Equal(1, twin.Duplicates);   // its own stream of collectives

        var started = new List<int>();
        var reductions = 0;
        for (var step = 0; step < 3; step++)
        {
            reductions += averager.BucketCount;   // the layout this step runs with (rebuilt once, after step 0)
            net.zero_grad();
            averager.Arm();
            net.Loss(real, fake).backward();
            averager.Average();
            started.Add(averager.BucketsStartedDuringBackward);
            foreach (var (name, p) in net.named_parameters())
            {
                if (reference.TryGetValue(name, out var expected)) Assert.True(p.grad!.Equals(expected), $"step {step}: {name}");
                else Assert.Null(p.grad);
            }
        }

        // The unused layer comes first in reverse registration order and is never ready, so nothing overlaps until
        // the buckets are rebuilt in the observed order after the first step.
        Assert.Equal(0, started[0]);
        Assert.True(started[1] > 0 && started[1] < averager.BucketCount, $"{started[1]} of {averager.BucketCount}");
        Assert.Equal(started[1], started[2]);
        Assert.Equal(reductions, twin.StartedReductions);
    }

    [Fact]
    public void A_parameter_used_outside_its_module_makes_Average_throw_naming_it()
    {
        torch.manual_seed(5);
        using var net = new TwoPassNet(reuseHeadWeight: true);
        var (real, fake) = Data();
        using var averager = new GradientAverager(new TwinRankCollectives(), net, bucketBytes: 16);
        net.zero_grad();
        averager.Arm();
        net.Loss(real, fake).backward();
        var error = Assert.Throws<InvalidOperationException>(averager.Average);
        Assert.Contains("head.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("Average() without Arm()", error.Message, StringComparison.Ordinal);

        // Without Arm() the same step averages correctly.
        var reference = Gradients(net, () => net.Loss(real, fake));
        net.zero_grad();
        net.Loss(real, fake).backward();
        averager.Average();
        Assert.True(net.named_parameters().First(p => p.name == "head.weight").parameter.grad!.Equals(reference["head.weight"]));
    }

    [Fact]
    public void Two_backward_passes_after_one_Arm_make_Average_throw()
    {
        torch.manual_seed(5);
        using var net = new TwoPassNet();
        var (real, fake) = Data();
        using var averager = new GradientAverager(new TwinRankCollectives(), net, bucketBytes: 64);
        averager.Arm();
        nn.functional.relu(1 - net.call(real)).mean().backward();
        nn.functional.relu(1 + net.call(fake)).mean().backward();
        var error = Assert.Throws<InvalidOperationException>(averager.Average);
        Assert.Contains("exactly one backward()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_error_inside_backward_is_rethrown_by_Average_instead_of_killing_the_process()
    {
        torch.manual_seed(5);
        using var net = new TwoPassNet();
        var (real, fake) = Data();
        var twin = new TwinRankCollectives();
        using var averager = new GradientAverager(twin, net, bucketBytes: 64);
        twin.FailStart = new MpiException("MPI_Iallreduce", 15, "simulated");
        averager.Arm();
        net.Loss(real, fake).backward();   // survives: the failure is held, not thrown into libtorch
        var error = Assert.Throws<MpiException>(averager.Average);
        Assert.Equal("MPI_Iallreduce", error.Call);
    }

    private static (Tensor Real, Tensor Fake) Data() => (torch.randn(4, 3, 6, 6), torch.randn(4, 3, 6, 6));

    private static Dictionary<string, Tensor> Gradients(TwoPassNet net, Func<Tensor> loss)
    {
        net.zero_grad();
        loss().backward();
        return net.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }

    private static IntPtr Address(Tensor t) => t.storage<float>().data_ptr();

    /// <summary>A group of one on which any call fails the test: proves a single process sends and duplicates nothing.</summary>
    private sealed class UntouchableSingleRank : ICollectives
    {
        public int Rank => 0;

        public int WorldSize => 1;

        public string Description => "untouchable";

        public void AllReduceSum(Tensor tensor) => throw Touched();

        public IPendingReduction StartAllReduceSum(Tensor tensor) => throw Touched();

        public void Broadcast(Tensor tensor, int root = 0) => throw Touched();

        public Tensor AllGather(Tensor tensor) => throw Touched();

        public string[] AllGatherText(string text) => throw Touched();

        public void Barrier() => throw Touched();

        public void Abort(int exitCode, string message) => throw Touched();

        public ICollectives Duplicate() => throw Touched();

        public void Dispose()
        {
        }

        private static Exception Touched() => new InvalidOperationException("a single-process averager used the collectives");
    }
}
