using System.Collections.Generic;
using AttributeGan.Runtime.Distributed;
using Xunit;

namespace AttributeGan.Runtime.Tests.Distributed;

public class RankThreadsTests
{
    [Theory]
    [InlineData(null, 8, null)]      // not launched by Hydra: libtorch's default
    [InlineData("1", 8, null)]       // one rank on this machine: the default too
    [InlineData("2", 8, 4)]
    [InlineData("2", 2, 1)]
    [InlineData("3", 8, 2)]          // rounded down: never more threads than cores
    [InlineData("16", 8, 1)]         // more ranks than cores: at least one thread each
    [InlineData("two", 8, null)]     // unreadable: leave the default
    public void Ranks_on_one_machine_split_its_cores(string? localRanks, int processors, int? expected)
    {
        var environment = new Dictionary<string, string?> { ["MPI_LOCALNRANKS"] = localRanks };
        Assert.Equal(expected, RankThreads.ForThisMachine(name => environment.GetValueOrDefault(name), processors));
    }
}
