using System;
using AttributeGan.Models.Blocks;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>
/// Channels-last is a memory order, never a different result: every block gives the same output and the same input
/// gradient whichever layout its input has, and hands on the layout the next block expects.
/// </summary>
public sealed class MemoryLayoutTests
{
    [Fact]
    public void ChannelsLast_keeps_shape_and_values_and_has_libtorch_channels_last_strides()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 4, 5);                                                      // (B, C, H, W), contiguous

        var y = MemoryLayout.ChannelsLast(x);

        Assert.False(MemoryLayout.IsChannelsLast(x));
        Assert.True(MemoryLayout.IsChannelsLast(y));
        Assert.Equal(x.shape, y.shape);
        Assert.Equal(new long[] { 4 * 5 * 3, 1, 5 * 3, 3 }, y.stride());
        Assert.True(y.eq(x).all().item<bool>());
    }

    [Fact]
    public void ChannelsLast_returns_a_channels_last_tensor_itself_and_leaves_other_ranks_alone()
    {
        using var scope = NewDisposeScope();
        var y = MemoryLayout.ChannelsLast(randn(2, 3, 4, 5));
        var flat = randn(2, 3);

        Assert.Same(y, MemoryLayout.ChannelsLast(y));
        Assert.Same(flat, MemoryLayout.ChannelsLast(flat));
        Assert.False(MemoryLayout.IsChannelsLast(flat));
    }

    public static TheoryData<string> Blocks => new() { "UpBlock blurred", "UpBlock nearest", "DownBlock", "InputConv", "EfficientAttention" };

    [Theory]
    [MemberData(nameof(Blocks))]
    public void A_block_gives_the_same_output_and_input_gradient_for_either_input_layout(string name)
    {
        torch.manual_seed(5);
        using var scope = NewDisposeScope();
        var (block, input) = Create(name);
        using var _ = block;
        var projection = randn_like(block.call(input));                                 // fixed direction for the gradient

        var (outputNchw, gradientNchw) = Run(block, input, projection);
        var (outputLast, gradientLast) = Run(block, MemoryLayout.ChannelsLast(input), projection);

        Assert.True(outputLast.allclose(outputNchw, rtol: 1e-5, atol: 1e-6), $"{name}: outputs differ by {(outputLast - outputNchw).abs().max().item<float>()}");
        Assert.True(gradientLast.allclose(gradientNchw, rtol: 1e-4, atol: 1e-6), $"{name}: input gradients differ by {(gradientLast - gradientNchw).abs().max().item<float>()}");
    }

    [Fact]
    public void Up_sampling_and_attention_hand_on_dense_NCHW_and_the_discriminator_blocks_channels_last()
    {
        torch.manual_seed(6);
        using var scope = NewDisposeScope();
        foreach (var name in Blocks)
        {
            var (block, input) = Create(name);
            using var _ = block;
            foreach (var layout in new[] { input, MemoryLayout.ChannelsLast(input) })
            {
                var output = block.call(layout);
                if (name is "DownBlock" or "InputConv")
                {
                    Assert.True(MemoryLayout.IsChannelsLast(output), $"{name} should hand on channels-last");
                }
                else
                {
                    Assert.True(output.is_contiguous(), $"{name} should hand on dense NCHW");
                }
            }
        }
    }

    [Fact]
    public void SkipLayerExcitation_accepts_a_channels_last_low_resolution_map()
    {
        torch.manual_seed(7);
        using var scope = NewDisposeScope();
        using var block = new SkipLayerExcitation(lowChannels: 6, highChannels: 4);
        var low = randn(2, 6, 4, 4);
        var high = randn(2, 4, 16, 16);

        var expected = block.call(low, high);
        var actual = block.call(MemoryLayout.ChannelsLast(low), MemoryLayout.ChannelsLast(high));

        Assert.True(actual.allclose(expected, rtol: 1e-5, atol: 1e-6));
    }

    private static (nn.Module<Tensor, Tensor> Block, Tensor Input) Create(string name) => name switch
    {
        "UpBlock blurred" => (new UpBlock(6, 4, blur: true, NormKind.Batch), randn(2, 6, 8, 8)),
        "UpBlock nearest" => (new UpBlock(6, 4, blur: false, NormKind.None), randn(2, 6, 8, 8)),
        "DownBlock" => (new DownBlock(6, 8, blur: true), randn(2, 6, 16, 16)),
        "InputConv" => (new InputConv(3, 8), randn(2, 3, 16, 16)),
        "EfficientAttention" => (FullStrengthAttention(), randn(2, 8, 6, 6)),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    /// <summary>Attention with gamma 0.8, so the attention branch weighs in the comparison.</summary>
    private static EfficientAttention FullStrengthAttention()
    {
        var block = new EfficientAttention(8, 2, 4, 4);
        using var noGrad = no_grad();
        foreach (var (name, parameter) in block.named_parameters())
        {
            if (name == "gamma") parameter.fill_(0.8);
        }
        return block;
    }

    private static (Tensor Output, Tensor InputGradient) Run(nn.Module<Tensor, Tensor> block, Tensor input, Tensor projection)
    {
        var leaf = input.detach().requires_grad_(true);
        var output = block.call(leaf);
        (output * projection).sum().backward();
        return (output.detach(), leaf.grad!.contiguous());
    }
}
