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
    public void The_accumulator_counts_requested_against_predicted_levels_and_the_error_follows_from_the_counts()
    {
        var scores = new AttributeErrorAccumulator(Layout);
        scores.Add(new[] { 0, 1 }, new[] { 0, 1 });   // crowding normal → normal,  mitosis frequent → frequent
        scores.Add(new[] { 2, 0 }, new[] { 0, 1 });   // crowding normal → severe,  mitosis frequent → rare
        scores.Add(new[] { 1, 1 }, new[] { 2, 1 });   // crowding severe → mild,    mitosis frequent → frequent
        scores.Add(new[] { 2, 0 }, new[] { 0, 0 });   // crowding normal → severe,  mitosis rare → rare

        var (crowding, mitosis) = (scores.Confusions()[0], scores.Confusions()[1]);
        Assert.Equal("cell_crowding", crowding.Attribute);
        Assert.Equal(new[] { "normal", "mild", "severe" }, crowding.Levels);
        // Rows requested, columns predicted.
        Assert.Equal(new[] { new long[] { 1, 0, 2 }, new long[] { 0, 0, 0 }, new long[] { 0, 1, 0 } }, crowding.Rows());
        Assert.Equal(new[] { new long[] { 1, 0 }, new long[] { 1, 2 } }, mitosis.Rows());
        Assert.Equal(2, crowding[0, 2]);
        Assert.Equal((4, 3L, 0L, 2L), (crowding.Total, crowding.Requested(0), crowding.Requested(1), crowding.Predicted(2)));

        // Crowding: squared normalised differences 0, 1, 0.25, 1 → 2.25 / 4; mitosis: one miss of 1 in four.
        Assert.Equal(2.25 / 4, crowding.Error(), 15);
        Assert.Equal(0.25, mitosis.Error(), 15);
        var errors = scores.Errors();
        Assert.Equal(errors[0], crowding.Error(), 15);
        Assert.Equal(errors[1], mitosis.Error(), 15);
        Assert.Equal(new[] { crowding.Accuracy(), mitosis.Accuracy() }, scores.Accuracies());
        Assert.Equal(new[] { 0.25, 0.75 }, scores.Accuracies());

        // Most predicted: severe for half the crowding images; mitosis is a tie, which goes to the lower level.
        Assert.Equal((2, 0.5), crowding.MostPredicted());
        Assert.Equal((0, 0.5), mitosis.MostPredicted());
    }

    [Fact]
    public void Confusions_are_copies_that_sum_cell_by_cell()
    {
        var scores = new AttributeErrorAccumulator(Layout);
        scores.Add(new[] { 1, 1 }, new[] { 1, 0 });
        var before = scores.Confusions()[0];
        scores.Add(new[] { 1, 1 }, new[] { 0, 0 });
        scores.Add(new[] { 1, 1 }, new[] { 2, 0 });
        var after = scores.Confusions()[0];

        Assert.Equal(1, before.Total);                // taken before the last two images: not changed by them
        var sum = ConfusionMatrix.Sum(new[] { before, after });
        Assert.Equal(new[] { new long[] { 0, 1, 0 }, new long[] { 0, 2, 0 }, new long[] { 0, 1, 0 } }, sum.Rows());
        // Always "mild": every answer in one column, the attribute error that of the constant answer 1 for requests 1, 1, 0, 2.
        Assert.Equal((1, 1.0), sum.MostPredicted());
        Assert.Equal(AttributeError.Compute(new[] { 1, 1, 1, 1 }, new[] { 1, 1, 0, 2 }, 3), sum.Error(), 15);

        var mitosis = scores.Confusions()[1];
        Assert.Throws<ArgumentException>(() => ConfusionMatrix.Sum(new[] { before, mitosis }));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix("mitosis", new[] { "rare", "frequent" }, new[] { new long[] { 1, 0 } }));
        Assert.Throws<ArgumentException>(() => new ConfusionMatrix("mitosis", new[] { "rare", "frequent" }, new[] { new long[] { 1, 0 }, new long[] { -1, 0 } }));
        Assert.Throws<InvalidOperationException>(() => new ConfusionMatrix("mitosis", new[] { "rare", "frequent" }, new[] { new long[2], new long[2] }).Error());
    }

    [Fact]
    public void An_empty_accumulator_has_no_error()
    {
        var scores = new AttributeErrorAccumulator(Layout);
        Assert.Throws<InvalidOperationException>(() => scores.Errors());
        Assert.Throws<ArgumentException>(() => scores.Add(new[] { 0 }, new[] { 0, 1 }));
    }
}
