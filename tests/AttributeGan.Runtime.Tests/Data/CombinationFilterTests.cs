using System.Collections.Generic;
using System.Linq;
using AttributeGan.Runtime.Data;
using Xunit;

namespace AttributeGan.Runtime.Tests.Data;

public class CombinationFilterTests
{
    [Theory]
    [InlineData(new[] { 1, 1, 2, 3, 5, 8, 13, 21, 34, 55 }, 20, 1.8)]    // h = 0.2·9 = 1.8 → 1 + 0.8·(2 − 1)
    [InlineData(new[] { 55, 1, 34, 2, 21, 3, 13, 5, 8, 1 }, 20, 1.8)]    // order does not matter
    [InlineData(new[] { 10, 20, 30, 40, 50 }, 20, 18)]                    // h = 0.8 → 10 + 0.8·10
    [InlineData(new[] { 10, 20, 30, 40, 50 }, 50, 30)]
    [InlineData(new[] { 10, 20, 30, 40, 50 }, 0, 10)]
    [InlineData(new[] { 10, 20, 30, 40, 50 }, 100, 50)]
    [InlineData(new[] { 7 }, 20, 7)]
    [InlineData(new[] { 1, 1, 1, 1, 9 }, 20, 1)]                          // ties: t is the common smallest count
    public void The_threshold_is_the_linearly_interpolated_percentile_of_combination_counts(int[] counts, double percentile, double expected) =>
        Assert.Equal(expected, CombinationFilter.Threshold(counts, percentile), 12);

    [Fact]
    public void Combinations_below_the_threshold_are_dropped_and_the_rest_labelled_in_level_order()
    {
        // Hand-made counts for two attributes: (1,0)×1, (0,1)×2, (1,1)×5, (0,0)×8 → counts 1,2,5,8, p20: h = 0.6, t = 1.6.
        var samples = new List<IReadOnlyList<int>>();
        void Add(int a, int b, int times) => samples.AddRange(Enumerable.Repeat<IReadOnlyList<int>>(new[] { a, b }, times));
        Add(1, 1, 5);
        Add(1, 0, 1);
        Add(0, 0, 8);
        Add(0, 1, 2);

        var result = CombinationFilter.Apply(samples);

        Assert.Equal(1.6, result.Threshold, 12);
        Assert.Equal(new[] { "(0,0)", "(0,1)", "(1,1)" }, result.Kept.Select(c => c.ToString()));
        Assert.Equal(new[] { 0, 1, 2 }, result.Kept.Select(c => c.Label));
        Assert.Equal(new[] { 8, 2, 5 }, result.Kept.Select(c => c.Count));
        Assert.Equal("(1,0)", Assert.Single(result.Dropped).ToString());
        Assert.Equal(Enumerable.Repeat(2, 5).Append(-1).Concat(Enumerable.Repeat(0, 8)).Concat(new[] { 1, 1 }), result.SampleLabels);
        Assert.Equal(-1, result.LabelOf(new[] { 1, 0 }));
        Assert.Equal(2, result.LabelOf(new[] { 1, 1 }));
    }

    [Fact]
    public void Labels_do_not_depend_on_sample_order_and_percentile_zero_keeps_everything()
    {
        var samples = new IReadOnlyList<int>[] { new[] { 2, 0 }, new[] { 0, 1 }, new[] { 2, 0 }, new[] { 1, 1 } };
        var forward = CombinationFilter.Apply(samples, 0);
        var backward = CombinationFilter.Apply(samples.Reverse().ToArray(), 0);

        Assert.Empty(forward.Dropped);
        Assert.Equal(forward.Kept.Select(c => c.ToString()), backward.Kept.Select(c => c.ToString()));
        Assert.Equal(new[] { "(0,1)", "(1,1)", "(2,0)" }, forward.Kept.Select(c => c.ToString()));
    }

    [Fact]
    public void Ties_at_the_smallest_count_drop_nothing()
    {
        var samples = new IReadOnlyList<int>[] { new[] { 0 }, new[] { 1 }, new[] { 2 }, new[] { 3 }, new[] { 3 } };
        Assert.Empty(CombinationFilter.Apply(samples).Dropped);
    }
}
