using System;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Distributed;

public class SingleProcessCollectivesTests
{
    private static readonly SingleProcessCollectives One = SingleProcessCollectives.Instance;

    [Fact]
    public void Is_rank_0_of_1_and_its_own_duplicate()
    {
        Assert.Equal(0, One.Rank);
        Assert.Equal(1, One.WorldSize);
        Assert.Equal("single process", One.Description);
        Assert.Same(One, One.Duplicate());
    }

    [Fact]
    public void Reductions_and_broadcast_leave_values_as_they_are()
    {
        var t = torch.tensor(new[] { 1.5f, -2f, 3f });
        var expected = t.clone();
        One.AllReduceSum(t);
        Assert.True(t.Equals(expected));
        var pending = One.StartAllReduceSum(t);
        Assert.True(pending.Test());
        pending.Wait();
        Assert.True(t.Equals(expected));
        One.Broadcast(t, root: 0);
        Assert.True(t.Equals(expected));
        Assert.Throws<ArgumentOutOfRangeException>(() => One.Broadcast(t, root: 1));
        One.Barrier();
    }

    [Fact]
    public void Gathers_return_a_copy_and_the_one_text()
    {
        var t = torch.arange(6, ScalarType.Int64).reshape(2, 3);
        var gathered = One.AllGather(t);
        Assert.True(gathered.Equals(t));
        gathered[0, 0] = torch.tensor(99L);
        Assert.Equal(0L, t[0, 0].item<long>());   // a copy, not the caller's tensor
        Assert.Equal(new[] { "only" }, One.AllGatherText("only"));
    }
}
