using System;
using AttributeGan.Models.Blocks;
using TorchSharp;
using Xunit;
using static AttributeGan.Models.Tests.BlockTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>Output shape, parameter count (the generator's formulas) and gradient flow of the discriminator-side blocks.</summary>
public sealed class DiscriminatorBlockTests
{
    [Fact]
    public void InputConv_ShapeParametersGradients()
    {
        torch.manual_seed(11);
        using var scope = torch.NewDisposeScope();
        using var block = new InputConv(imageChannels: 3, channels: 6);

        var y = block.call(torch.randn(2, 3, 8, 8));

        AssertShape(y, 2, 6, 8, 8);
        Assert.Equal(3L * 6 * 9 + 6, ParameterCount(block));
        Assert.Equal(168L, ParameterCount(block));
        AssertAllParametersGetGradients(block, y);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void DownBlock_ShapeParametersGradients(bool blur)
    {
        torch.manual_seed(12);
        using var scope = torch.NewDisposeScope();
        using var block = new DownBlock(inChannels: 4, outChannels: 6, blur);

        var y = block.call(torch.randn(2, 4, 8, 6));

        AssertShape(y, 2, 6, 4, 3);
        Assert.Equal((4L * 6 * 16 + 6) + (6L * 6 * 9 + 6) + (4L * 6 + 6), ParameterCount(block));
        Assert.Equal(750L, ParameterCount(block));
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void DownBlock_HalvesLargerMaps()
    {
        torch.manual_seed(13);
        using var scope = torch.NewDisposeScope();
        using var block = new DownBlock(3, 5, blur: true);

        var y = block.call(torch.randn(1, 3, 32, 32));

        AssertShape(y, 1, 5, 16, 16);
        Assert.Throws<System.ArgumentException>(() => block.call(torch.randn(1, 3, 7, 8)));
    }

    [Fact]
    public void PatchLogits_ShapeParametersGradients()
    {
        torch.manual_seed(14);
        using var scope = torch.NewDisposeScope();
        using var block = new PatchLogits(channels: 6);

        var y = block.call(torch.randn(2, 6, 8, 8));

        AssertShape(y, 2, 25);
        Assert.Equal((6L * 6 + 6) + (16L * 6 + 1), ParameterCount(block));
        Assert.Equal(139L, ParameterCount(block));
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void PatchLogits_WithMinibatchStd_ReadsOneMoreChannel()
    {
        torch.manual_seed(16);
        using var scope = torch.NewDisposeScope();
        using var block = new PatchLogits(channels: 6, minibatchStdGroup: 4);

        var y = block.call(torch.randn(8, 6, 8, 8));

        AssertShape(y, 8, 25);
        Assert.Equal((7L * 6 + 6) + (16L * 6 + 1), ParameterCount(block));
        AssertAllParametersGetGradients(block, y);
        Assert.Contains("at least 2", Assert.Throws<ArgumentException>(() => new PatchLogits(6, minibatchStdGroup: 1)).Message);
    }

    [Fact]
    public void MinibatchStd_IsTheMeanFeatureSpreadOfEachGroupOfConsecutiveImages()
    {
        using var scope = torch.NewDisposeScope();
        var x = torch.randn(new long[] { 6, 2, 3, 3 }, dtype: ScalarType.Float64, generator: new torch.Generator(17));
        var values = Values(x);

        foreach (var (group, size) in new[] { (3, 3), (4, 2), (5, 1) })                 // gcd(group, 6) images per group
        {
            var channel = PatchLogits.MinibatchStd(x, group);                            // (6, 1, 3, 3)
            AssertShape(channel, 6, 1, 3, 3);
            var actual = Values(channel);
            for (int first = 0; first < 6; first += size)
            {
                double sum = 0;
                for (int feature = 0; feature < 18; feature++)
                {
                    double mean = 0, squares = 0;
                    for (int i = first; i < first + size; i++) mean += values[i * 18 + feature] / size;
                    for (int i = first; i < first + size; i++) squares += Math.Pow(values[i * 18 + feature] - mean, 2) / size;
                    sum += Math.Sqrt(squares + 1e-8);
                }
                for (int i = first; i < first + size; i++)
                    for (int p = 0; p < 9; p++) Assert.Equal(sum / 18, actual[i * 9 + p], 1e-12);
            }
        }

        // Identical images: no spread, whatever they show.
        var same = torch.randn(1, 2, 3, 3).expand(4, 2, 3, 3).contiguous();
        Assert.True(PatchLogits.MinibatchStd(same, 4).max().item<float>() < 1e-3);
    }

    [Theory]
    [InlineData(ProjectionPooling.Mean)]
    [InlineData(ProjectionPooling.Sum)]
    public void AttributeProjection_ShapeParametersGradientsAndValue(ProjectionPooling pooling)
    {
        torch.manual_seed(15);
        using var scope = torch.NewDisposeScope();
        using var block = new AttributeProjection(attributeWidth: 5, channels: 6, pooling: pooling);
        var features = torch.randn(2, 6, 3, 3);
        var attributes = torch.randn(2, 5);
        var logits = torch.randn(2, 25);

        var y = block.call(features, attributes, logits);

        AssertShape(y, 2, 25);
        Assert.Equal(5L * 6, ParameterCount(block));
        var w = Values(block, "embed.weight");                              // (C, A)
        var f = Values(features);
        var a = Values(attributes);
        var l = Values(logits);
        var expected = new double[2 * 25];
        for (var b = 0; b < 2; b++)
        {
            var inner = 0.0;
            for (var c = 0; c < 6; c++)
            {
                var embedded = 0.0;
                for (var j = 0; j < 5; j++) embedded += w[c * 5 + j] * a[b * 5 + j];
                var pooled = 0.0;
                for (var p = 0; p < 9; p++) pooled += f[(b * 6 + c) * 9 + p];
                inner += embedded * (pooling == ProjectionPooling.Sum ? pooled : pooled / 9);
            }
            for (var p = 0; p < 25; p++) expected[b * 25 + p] = l[b * 25 + p] + inner;
        }
        AssertClose(expected, Values(y), 1e-4);
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void AttributeGate_ShapeParametersGradientsAndValue()
    {
        torch.manual_seed(16);
        using var scope = torch.NewDisposeScope();
        using var block = new AttributeGate(attributeWidth: 5, logitCount: 25);
        var attributes = torch.randn(2, 5);
        var logits = torch.randn(2, 25);

        var y = block.call(attributes, logits);

        AssertShape(y, 2, 25);
        Assert.Equal(5L * 25, ParameterCount(block));
        var w = Values(block, "gate.weight");                               // (P, A)
        var a = Values(attributes);
        var l = Values(logits);
        var expected = new double[2 * 25];
        for (var b = 0; b < 2; b++)
        {
            for (var p = 0; p < 25; p++)
            {
                var g = 0.0;
                for (var j = 0; j < 5; j++) g += w[p * 5 + j] * a[b * 5 + j];
                expected[b * 25 + p] = l[b * 25 + p] + g * l[b * 25 + p];
            }
        }
        AssertClose(expected, Values(y), 1e-5);
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void ContrastiveHead_ShapeParametersGradients()
    {
        torch.manual_seed(17);
        using var scope = torch.NewDisposeScope();
        using var block = new ContrastiveHead(channels: 6, resolution: 8, dim: 10);

        var y = block.call(torch.randn(3, 6, 8, 8));

        AssertShape(y, 3, 10);
        Assert.Equal((6L + 1) + 64L * 10 + 10, ParameterCount(block));
        Assert.Equal(657L, ParameterCount(block));
        var norms = y.pow(2).sum(1).sqrt();
        Assert.True(torch.allclose(norms, torch.ones_like(norms), rtol: 0, atol: 1e-5));
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void AttributeEmbedding_ShapeParametersGradients()
    {
        torch.manual_seed(18);
        using var scope = torch.NewDisposeScope();
        using var block = new AttributeEmbedding(attributeWidth: 5, dim: 10);

        var y = block.call(torch.randn(3, 5));

        AssertShape(y, 3, 10);
        Assert.Equal(5L * 10 + 10, ParameterCount(block));
        var norms = y.pow(2).sum(1).sqrt();
        Assert.True(torch.allclose(norms, torch.ones_like(norms), rtol: 0, atol: 1e-5));
        AssertAllParametersGetGradients(block, y);
    }
}
