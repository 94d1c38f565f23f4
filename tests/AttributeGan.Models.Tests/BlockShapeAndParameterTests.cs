using System.Linq;
using AttributeGan.Models.Blocks;
using TorchSharp;
using Xunit;
using static AttributeGan.Models.Tests.BlockTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>Output shape, parameter count (the generator's formulas) and gradient flow of the generator-side blocks.</summary>
public sealed class BlockShapeAndParameterTests
{
    [Fact]
    public void Blur_PreservesShapeAndHasNoParameters()
    {
        torch.manual_seed(1);
        using var scope = torch.NewDisposeScope();
        using var blur = new Blur(3);
        var x = torch.randn(2, 3, 5, 4, requires_grad: true);

        var y = blur.call(x);

        AssertShape(y, 2, 3, 5, 4);
        Assert.Equal(0L, ParameterCount(blur));
        y.sum().backward();
        Assert.NotNull(x.grad);
    }

    [Theory]
    [InlineData(NormKind.Batch, 8L * 12 * 16 + 5 * 8 * 16 + 4 * 6 + 4 * 4)]
    [InlineData(NormKind.None, 8L * 12 * 16 + 5 * 8 * 16 + 2 * 6 + 2 * 4)]
    public void InitialBlock_ShapeParametersGradients(NormKind norm, long expectedParameters)
    {
        torch.manual_seed(2);
        using var scope = torch.NewDisposeScope();
        using var block = new InitialBlock(latent: 8, attributeWidth: 5, noiseChannels: 6, attributeChannels: 4, resolution: 4, norm);
        var noise = torch.randn(3, 8);
        var attributes = torch.randn(3, 5);

        var y = block.call(noise, attributes);

        AssertShape(y, 3, 10, 4, 4);
        Assert.Equal(expectedParameters, ParameterCount(block));
        Assert.Equal(norm == NormKind.Batch ? 2216L : 2196L, ParameterCount(block));
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void InitialBlock_OutputHasUnitNormOverChannels()
    {
        torch.manual_seed(3);
        using var scope = torch.NewDisposeScope();
        using var block = new InitialBlock(8, 5, 6, 4, 4, NormKind.Batch);

        var y = block.call(torch.randn(3, 8), torch.randn(3, 5));

        var norms = y.pow(2).sum(1).sqrt();                                  // (B, r, r)
        Assert.True(torch.allclose(norms, torch.ones_like(norms), rtol: 0, atol: 1e-5));
    }

    [Fact]
    public void InitialBlock_CheckpointKeysFollowContract()
    {
        using var block = new InitialBlock(8, 5, 6, 4, 4, NormKind.Batch);

        var keys = block.state_dict().Keys;

        Assert.Contains("noise_up.weight", keys);
        Assert.Contains("noise_norm.running_mean", keys);
        Assert.Contains("attribute_up.weight", keys);
        Assert.Contains("attribute_norm.weight", keys);
        Assert.DoesNotContain("noise_up.bias", keys);
    }

    [Theory]
    [InlineData(true, NormKind.Batch, 6L * 8 * 9 + 4 * 4)]
    [InlineData(false, NormKind.None, 6L * 8 * 9 + 2 * 4)]
    public void UpBlock_ShapeParametersGradients(bool blur, NormKind norm, long expectedParameters)
    {
        torch.manual_seed(4);
        using var scope = torch.NewDisposeScope();
        using var block = new UpBlock(inChannels: 6, outChannels: 4, blur, norm);
        var x = torch.randn(2, 6, 4, 5);

        var y = block.call(x);

        AssertShape(y, 2, 4, 8, 10);
        Assert.Equal(expectedParameters, ParameterCount(block));
        Assert.Equal(norm == NormKind.Batch ? 448L : 440L, ParameterCount(block));
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void EfficientAttention_ShapeParametersGradients()
    {
        torch.manual_seed(5);
        using var scope = torch.NewDisposeScope();
        using var block = new EfficientAttention(channels: 8, heads: 2, keyDim: 3, valueDim: 4);
        var x = torch.randn(2, 8, 5, 3);

        var y = block.call(x);

        AssertShape(y, 2, 8, 5, 3);
        const long c = 8, h = 2, dk = 3, dv = 4;
        Assert.Equal(2 * c * h * dk + c * h * dv + h * dv * c + c + 1 + (2 * c * c + 2 * c) + (c * c + c), ParameterCount(block));
        Assert.Equal(449L, ParameterCount(block));
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void SkipLayerExcitation_ShapeParametersGradients()
    {
        torch.manual_seed(6);
        using var scope = torch.NewDisposeScope();
        using var block = new SkipLayerExcitation(lowChannels: 6, highChannels: 10);
        var low = torch.randn(2, 6, 4, 4);
        var high = torch.randn(2, 10, 16, 16);

        var y = block.call(low, high);

        AssertShape(y, 2, 10, 16, 16);
        Assert.Equal(5L, SkipLayerExcitation.HiddenChannels(10));
        Assert.Equal((6L + 1) + (6 * 5 + 5) + (5 * 10 + 10), ParameterCount(block));
        Assert.Equal(102L, ParameterCount(block));
        // The context logits go through a softmax over positions, which ignores a constant shift, so the
        // to_context bias can never receive a gradient (it only exists to match the checkpoint layout), so it is frozen:
        // otherwise Adam turns its rounding-noise gradient into real steps.
        AssertAllParametersGetGradients(block, y, "to_context.bias");
        Assert.False(block.named_parameters().Single(p => p.name == "to_context.bias").parameter.requires_grad);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void OutputConv_ShapeParametersGradients(bool tanh)
    {
        torch.manual_seed(7);
        using var scope = torch.NewDisposeScope();
        using var block = new OutputConv(channels: 6, imageChannels: 3, tanh);
        var x = torch.randn(2, 6, 8, 8) * 10;

        var y = block.call(x);

        AssertShape(y, 2, 3, 8, 8);
        Assert.Equal(6L * 3 * 9 + 3, ParameterCount(block));
        Assert.Equal(165L, ParameterCount(block));
        var largest = y.abs().max().item<float>();
        if (tanh)
        {
            Assert.True(largest <= 1f);
        }
        else
        {
            Assert.True(largest > 1f, $"without tanh the output should be unbounded, max |y| = {largest}");
        }
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void ReconstructionDecoder_ShapeParametersGradients()
    {
        torch.manual_seed(8);
        using var scope = torch.NewDisposeScope();
        using var block = new ReconstructionDecoder(inChannels: 32, inResolution: 4, outResolution: 32, imageChannels: 3, NormKind.Batch);
        var x = torch.randn(2, 32, 4, 4);

        var y = block.call(x);

        AssertShape(y, 2, 3, 32, 32);
        Assert.Equal(new long[] { 32, 16, 8, 8 }, ReconstructionDecoder.ChannelPlan(32, 3));
        long expected = (32L * 32 * 9 + 4 * 16) + (16L * 16 * 9 + 4 * 8) + (8L * 16 * 9 + 4 * 8) + (8L * 3 * 9 + 3);
        Assert.Equal(expected, ParameterCount(block));
        Assert.Equal(13019L, ParameterCount(block));
        Assert.Contains("ups.0.conv.weight", block.state_dict().Keys);
        Assert.Contains("ups.2.norm.bias", block.state_dict().Keys);
        Assert.Contains("to_image.bias", block.state_dict().Keys);
        AssertAllParametersGetGradients(block, y);
    }

    [Fact]
    public void ReconstructionDecoder_ChannelPlanNeverDropsBelowEight()
    {
        Assert.Equal(new long[] { 64, 32, 16, 8, 8, 8 }, ReconstructionDecoder.ChannelPlan(64, 5));
        Assert.Equal(new long[] { 4, 8, 8 }, ReconstructionDecoder.ChannelPlan(4, 2));
        Assert.Equal(new long[] { 17 }, ReconstructionDecoder.ChannelPlan(17, 0));
        Assert.Equal(new long[] { 17, 8 }, ReconstructionDecoder.ChannelPlan(17, 1));
    }
}
