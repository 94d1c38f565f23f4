using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Evaluation.Classifier;
using Xunit;

namespace AttributeGan.Evaluation.Tests;

public class HoldoutSplitTests
{
    // 60 of (0,0), 30 of (1,1), 7 of (2,0), 3 singletons-ish of (2,1): uneven groups, interleaved in sample order.
    private static IReadOnlyList<IReadOnlyList<int>> Levels()
    {
        var levels = new List<IReadOnlyList<int>>();
        for (int i = 0; i < 100; i++)
            levels.Add(i % 10 < 6 ? new[] { 0, 0 } : i % 10 < 9 ? new[] { 1, 1 } : i < 70 ? new[] { 2, 0 } : new[] { 2, 1 });
        return levels;
    }

    [Fact]
    public void The_split_is_a_partition_of_the_requested_size()
    {
        var split = HoldoutSplit.Create(Levels(), 0.2, seed: 1);

        Assert.Equal(20, split.HeldOut.Count);
        Assert.Equal(Enumerable.Range(0, 100), split.Train.Concat(split.HeldOut).OrderBy(i => i));
        Assert.Empty(split.Train.Intersect(split.HeldOut));
    }

    [Fact]
    public void Each_combination_is_held_out_in_proportion()
    {
        var levels = Levels();
        var split = HoldoutSplit.Create(levels, 0.2, seed: 1);

        foreach (var group in Enumerable.Range(0, 100).GroupBy(i => string.Join(",", levels[i])))
        {
            int held = group.Count(split.HeldOut.Contains);
            double quota = 0.2 * group.Count();
            Assert.True(held == (int)Math.Floor(quota) || held == (int)Math.Ceiling(quota), $"combination ({group.Key}): {held} of {group.Count()} held out");
        }
    }

    [Fact]
    public void A_seed_gives_one_split_and_another_seed_another()
    {
        var a = HoldoutSplit.Create(Levels(), 0.2, seed: 1);
        var b = HoldoutSplit.Create(Levels(), 0.2, seed: 1);
        var c = HoldoutSplit.Create(Levels(), 0.2, seed: 2);

        Assert.Equal(a.HeldOut, b.HeldOut);
        Assert.NotEqual(a.HeldOut, c.HeldOut);
    }

    [Fact]
    public void Tiny_data_keeps_one_image_on_each_side_and_bad_fractions_are_refused()
    {
        var two = new IReadOnlyList<int>[] { new[] { 0 }, new[] { 0 } };
        var split = HoldoutSplit.Create(two, 0.01, seed: 0);
        Assert.Single(split.HeldOut);
        Assert.Single(split.Train);

        Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutSplit.Create(two, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => HoldoutSplit.Create(two, 1, 0));
        Assert.Throws<ArgumentException>(() => HoldoutSplit.Create(new IReadOnlyList<int>[] { new[] { 0 } }, 0.5, 0));
    }
}
