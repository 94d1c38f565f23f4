using System;
using AttributeGan.Evaluation.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Metrics;

/// <summary>The diversity ratio: what it measures on hand-made features whose answer is known.</summary>
public sealed class FeatureDiversityTests
{
    [Fact]
    public void The_mean_pairwise_distance_of_three_points_is_their_average_side()
    {
        using var scope = NewDisposeScope();
        var triangle = tensor(new double[] { 0, 0, 3, 0, 0, 4 }, new long[] { 3, 2 });      // sides 3, 4 and 5

        Assert.Equal(4.0, FeatureDiversity.MeanPairwiseDistance(triangle), 12);
        Assert.True(double.IsNaN(FeatureDiversity.MeanPairwiseDistance(triangle.narrow(0, 0, 1))));
    }

    [Fact]
    public void A_copy_of_the_reference_scores_one_a_collapsed_set_zero_and_a_shrunk_set_its_scale()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var reference = randn(40, 8);
        var groups = new int[40];
        for (int i = 0; i < 40; i++) groups[i] = i % 4;                                     // four combinations of ten

        Assert.Equal(1.0, FeatureDiversity.Ratio(reference, groups, reference, groups)!.Value, 12);
        var collapsed = reference.narrow(0, 0, 4).repeat(10, 1);                          // each combination one point, repeated
        Assert.Equal(0.0, FeatureDiversity.Ratio(collapsed, groups, reference, groups)!.Value, 12);
        Assert.Equal(0.25, FeatureDiversity.Ratio(reference * 0.25, groups, reference, groups)!.Value, 12);
    }

    [Fact]
    public void Combinations_with_fewer_than_two_images_on_either_side_are_left_out()
    {
        using var scope = NewDisposeScope();
        var features = tensor(new double[] { 0, 1, 5, 9 }, new long[] { 4, 1 });
        var reference = tensor(new double[] { 0, 2, 7 }, new long[] { 3, 1 });

        // Group 0: generated {0, 1}, reference {0, 2}: ratio 0.5. Group 1: one reference image only. Group 2: one generated image.
        double? ratio = FeatureDiversity.Ratio(features, new[] { 0, 0, 2, 1 }, reference, new[] { 0, 0, 1 });

        Assert.Equal(0.5, ratio!.Value, 12);
        Assert.Null(FeatureDiversity.Ratio(features.narrow(0, 2, 2), new[] { 2, 1 }, reference, new[] { 0, 0, 1 }));
        Assert.Throws<ArgumentException>(() => FeatureDiversity.Ratio(features, new[] { 0 }, reference, new[] { 0, 0, 1 }));
    }
}
