using System;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public class AttributeClassificationLossTests
{
    // Two attributes of 3 and 2 levels: the one-hot layout is [a0 a1 a2 | b0 b1].
    private static readonly AttributeLayout Layout = new(new[]
    {
        new AttributeDefinition("crowding", new[] { "normal", "mild", "severe" }),
        new AttributeDefinition("mitosis", new[] { "rare", "frequent" }),
    });

    [Fact]
    public void Loss_and_gradient_match_a_hand_computed_cross_entropy_per_attribute()
    {
        using var scope = torch.NewDisposeScope();
        var z = new double[,] { { 2.0, -1.0, 0.5, 0.3, -0.7 }, { -0.2, 0.1, 1.5, -2.0, 2.0 }, { 0.0, 0.0, 0.0, 1.0, 1.0 } };
        int[][] levels = { new[] { 0, 1 }, new[] { 2, 1 }, new[] { 1, 0 } };
        var logits = torch.tensor(z, dtype: ScalarType.Float64).requires_grad_();
        var attributes = torch.stack(levels.Select(l => torch.tensor(Layout.Encode(l).Values.Select(v => (double)v).ToArray(), dtype: ScalarType.Float64)).ToArray());

        var loss = AttributeClassificationLoss.Compute(logits, attributes, Layout);
        loss.backward();

        // By hand: per attribute, −log softmax at the requested level, averaged over the 3 images, then over the 2 attributes;
        // d/dz = (softmax − one-hot) / (3 · 2) within each attribute's slice.
        int[] offsets = { 0, 3 }, widths = { 3, 2 };
        double expected = 0;
        var gradient = new double[3, 5];
        for (int i = 0; i < 3; i++)
        {
            for (int a = 0; a < 2; a++)
            {
                var slice = Enumerable.Range(offsets[a], widths[a]).Select(j => z[i, j]).ToArray();
                double max = slice.Max(), sum = slice.Sum(v => Math.Exp(v - max));
                for (int k = 0; k < widths[a]; k++)
                {
                    double p = Math.Exp(slice[k] - max) / sum;
                    if (k == levels[i][a]) expected -= Math.Log(p) / 6;
                    gradient[i, offsets[a] + k] = (p - (k == levels[i][a] ? 1 : 0)) / 6;
                }
            }
        }

        Assert.Equal(expected, loss.item<double>(), 1e-12);
        var actual = logits.grad!.data<double>().ToArray();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(gradient[i, j], actual[i * 5 + j], 1e-12);
    }

    [Fact]
    public void A_classifier_that_reads_every_level_right_scores_near_zero_and_a_uniform_one_log_k()
    {
        using var scope = torch.NewDisposeScope();
        var attributes = torch.tensor(new float[,] { { 0, 0, 1, 1, 0 }, { 1, 0, 0, 0, 1 } });
        var confident = attributes * 40f;                                                // the requested levels far ahead
        Assert.True(AttributeClassificationLoss.Compute(confident, attributes, Layout).item<float>() < 1e-6f);
        var uniform = torch.zeros(2, 5);
        Assert.Equal((Math.Log(3) + Math.Log(2)) / 2, AttributeClassificationLoss.Compute(uniform, attributes, Layout).item<float>(), 5);
    }

    [Fact]
    public void Shapes_that_do_not_match_the_layout_are_refused_with_the_expected_shape()
    {
        using var scope = torch.NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => AttributeClassificationLoss.Compute(torch.zeros(2, 4), torch.zeros(2, 5), Layout));
        Assert.Contains("(B, 5)", error.Message);
        error = Assert.Throws<ArgumentException>(() => AttributeClassificationLoss.Compute(torch.zeros(2, 5), torch.zeros(3, 5), Layout));
        Assert.Contains("(2, 5)", error.Message);
    }
}
