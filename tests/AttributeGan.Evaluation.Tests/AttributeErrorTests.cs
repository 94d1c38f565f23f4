using System;
using AttributeGan.Evaluation.Metrics;
using AttributeGan.Models;
using Xunit;

namespace AttributeGan.Evaluation.Tests;

public class AttributeErrorTests
{
    private static readonly AttributeLayout Layout = new(new[]
    {
        new AttributeDefinition("cell_crowding", new[] { "normal", "mild", "severe" }),
        new AttributeDefinition("mitosis", new[] { "rare", "frequent" }),
    });

    [Theory]
    [InlineData(0, 3, 0.0)]
    [InlineData(1, 3, 0.5)]
    [InlineData(2, 3, 1.0)]
    [InlineData(1, 4, 1.0 / 3)]
    [InlineData(0, 1, 0.0)]
    public void Levels_are_normalised_to_the_unit_interval(int level, int levels, double expected) =>
        Assert.Equal(expected, AttributeError.Normalise(level, levels), 15);

    [Fact]
    public void The_error_is_the_mean_squared_difference_of_normalised_levels()
    {
        // Three levels: predicted 0, 2, 1 against requested 0, 0, 2 → differences 0, 1, −0.5 → (0 + 1 + 0.25) / 3.
        Assert.Equal(1.25 / 3, AttributeError.Compute(new[] { 0, 2, 1 }, new[] { 0, 0, 2 }, 3), 15);
        // Four levels (the paper's crowding): predicted 3, requested 2 → (1 − 2/3)² = 1/9; a hit adds 0 → 1/18.
        Assert.Equal(1.0 / 18, AttributeError.Compute(new[] { 3, 1 }, new[] { 2, 1 }, 4), 15);
        // Two levels: every miss costs exactly 1.
        Assert.Equal(0.5, AttributeError.Compute(new[] { 1, 0 }, new[] { 0, 0 }, 2), 15);
        Assert.Equal(0.0, AttributeError.Compute(new[] { 0, 0 }, new[] { 0, 0 }, 1));
    }

    [Fact]
    public void The_best_constant_answer_is_the_level_nearest_the_requests_mean()
    {
        // Four levels, requested 0, 0, 1, 3 → normalised 0, 0, 1/3, 1 (mean 1/3). Answering level 0 costs (1/9 + 1)/4,
        // level 1 (1/9 + 1/9 + 0 + 4/9)/4 = 1/6, level 2 (4/9 + 4/9 + 1/9 + 1/9)/4: level 1 wins.
        var (level, error) = AttributeError.BestConstant(new[] { 0, 0, 1, 3 }, 4);
        Assert.Equal(1, level);
        Assert.Equal(1.0 / 6, error, 15);
        Assert.Equal(error, AttributeError.Compute(new[] { 1, 1, 1, 1 }, new[] { 0, 0, 1, 3 }, 4), 15);
        // Two levels, three quarters prominent: always "prominent" misses a quarter.
        Assert.Equal((1, 0.25), AttributeError.BestConstant(new[] { 1, 1, 1, 0 }, 2));
    }

    [Fact]
    public void Bad_input_is_refused()
    {
        Assert.Throws<ArgumentException>(() => AttributeError.Compute(new[] { 0 }, new[] { 0, 1 }, 2));
        Assert.Throws<ArgumentException>(() => AttributeError.Compute(Array.Empty<int>(), Array.Empty<int>(), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttributeError.Compute(new[] { 3 }, new[] { 0 }, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => AttributeError.Normalise(-1, 3));
    }

    [Fact]
    public void The_accumulator_gives_error_and_accuracy_per_attribute()
    {
        var scores = new AttributeErrorAccumulator(Layout);
        scores.Add(new[] { 0, 1 }, new[] { 0, 1 });   // both right
        scores.Add(new[] { 2, 0 }, new[] { 0, 1 });   // crowding off by 1.0, mitosis off by 1
        scores.Add(new[] { 1, 1 }, new[] { 2, 1 });   // crowding off by 0.5

        Assert.Equal(3, scores.Count);
        var errors = scores.Errors();
        Assert.Equal((0 + 1 + 0.25) / 3, errors[0], 15);
        Assert.Equal(1.0 / 3, errors[1], 15);
        Assert.Equal(new[] { 1.0 / 3, 2.0 / 3 }, scores.Accuracies());
        Assert.Equal(AttributeError.Compute(new[] { 0, 2, 1 }, new[] { 0, 0, 2 }, 3), errors[0], 15);
    }

    [Fact]
    public void An_empty_accumulator_has_no_error()
    {
        var scores = new AttributeErrorAccumulator(Layout);
        Assert.Throws<InvalidOperationException>(() => scores.Errors());
        Assert.Throws<ArgumentException>(() => scores.Add(new[] { 0 }, new[] { 0, 1 }));
    }
}
