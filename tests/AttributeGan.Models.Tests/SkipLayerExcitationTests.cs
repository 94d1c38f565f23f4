using AttributeGan.Models.Blocks;
using TorchSharp;
using Xunit;
using static AttributeGan.Models.Tests.BlockTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>SkipLayerExcitation against a direct loop computation of the global-context gate.</summary>
public sealed class SkipLayerExcitationTests
{
    [Theory]
    [InlineData(1L, 3L)]
    [InlineData(6L, 3L)]
    [InlineData(7L, 3L)]
    [InlineData(8L, 4L)]
    [InlineData(512L, 256L)]
    public void HiddenChannels_IsHalfTheHighChannelsButAtLeastThree(long high, long expected)
    {
        Assert.Equal(expected, SkipLayerExcitation.HiddenChannels(high));
    }

    [Fact]
    public void Forward_MatchesLoopReference()
    {
        const int b = 2, lo = 3, hi = 8, hid = 4, lowSide = 4, highSide = 6;
        const int n = lowSide * lowSide, m = highSide * highSide;
        torch.manual_seed(31);
        using var scope = torch.NewDisposeScope();
        using var block = new SkipLayerExcitation(lo, hi);
        var low = torch.randn(b, lo, lowSide, lowSide);
        var high = torch.randn(b, hi, highSide, highSide);

        var actual = Values(block.call(low, high));

        var wc = Values(block, "to_context.weight");   // (1, Clo)
        var bc = Values(block, "to_context.bias");     // (1)
        var w1 = Values(block, "excite_in.weight");    // (hid, Clo)
        var b1 = Values(block, "excite_in.bias");      // (hid)
        var w2 = Values(block, "excite_out.weight");   // (Chi, hid)
        var b2 = Values(block, "excite_out.bias");     // (Chi)
        Assert.Equal(hid * lo, w1.Length);
        var l = Values(low);
        var h = Values(high);
        var expected = new double[b * hi * m];
        for (var s = 0; s < b; s++)
        {
            var weights = new double[n];
            for (var i = 0; i < n; i++)
            {
                weights[i] = bc[0];
                for (var c = 0; c < lo; c++) weights[i] += wc[c] * l[(s * lo + c) * n + i];
            }
            Softmax(weights);

            var context = new double[lo];
            for (var c = 0; c < lo; c++)
                for (var i = 0; i < n; i++) context[c] += weights[i] * l[(s * lo + c) * n + i];

            var hidden = new double[hid];
            for (var j = 0; j < hid; j++)
            {
                var z = b1[j];
                for (var c = 0; c < lo; c++) z += w1[j * lo + c] * context[c];
                hidden[j] = z >= 0 ? z : 0.1 * z;
            }

            for (var k = 0; k < hi; k++)
            {
                var z = b2[k];
                for (var j = 0; j < hid; j++) z += w2[k * hid + j] * hidden[j];
                var gate = Sigmoid(z);
                for (var p = 0; p < m; p++) expected[(s * hi + k) * m + p] = h[(s * hi + k) * m + p] * gate;
            }
        }

        AssertClose(expected, actual, 1e-5);
    }

    [Fact]
    public void Gate_IsPerChannelAndStrictlyBetweenZeroAndOne()
    {
        torch.manual_seed(32);
        using var scope = torch.NewDisposeScope();
        using var block = new SkipLayerExcitation(3, 5);
        var high = torch.ones(2, 5, 4, 4);

        var gated = block.call(torch.randn(2, 3, 2, 2), high);              // ones ⊙ gate = the gate itself

        var perChannel = gated.amax(new long[] { 2, 3 }) - gated.amin(new long[] { 2, 3 });
        Assert.True(perChannel.abs().max().item<float>() == 0f, "the gate must be constant over positions");
        Assert.True(gated.min().item<float>() > 0f);
        Assert.True(gated.max().item<float>() < 1f);
    }
}
