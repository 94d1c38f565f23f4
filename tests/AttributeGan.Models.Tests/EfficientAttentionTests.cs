using System.Linq;
using AttributeGan.Models.Blocks;
using TorchSharp;
using Xunit;
using static AttributeGan.Models.Tests.BlockTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>EfficientAttention against a direct loop computation of the same formula on double arrays.</summary>
public sealed class EfficientAttentionTests
{
    private const int B = 2, C = 4, Heads = 2, Dk = 3, Dv = 2, H = 3, W = 2, N = H * W;

    [Fact]
    public void Gamma_IsOneLearnedScalarInitialisedToOneThousandth()
    {
        using var block = new EfficientAttention(C, Heads, Dk, Dv);

        var gamma = block.named_parameters().Single(p => p.name == "gamma").parameter;

        Assert.Equal(new long[] { 1 }, gamma.shape);
        Assert.True(gamma.requires_grad);
        Assert.Equal(1e-3f, gamma.item<float>(), 7);
    }

    [Fact]
    public void CheckpointKeys_FollowContract()
    {
        using var block = new EfficientAttention(C, Heads, Dk, Dv);

        var keys = block.state_dict().Keys.OrderBy(k => k, System.StringComparer.Ordinal).ToArray();

        Assert.Equal(
            new[]
            {
                "ff_in.bias", "ff_in.weight", "ff_out.bias", "ff_out.weight", "gamma",
                "to_k.weight", "to_out.bias", "to_out.weight", "to_q.weight", "to_v.weight",
            },
            keys);
    }

    [Theory]
    [InlineData(1e-3)]
    [InlineData(0.8)]
    public void Forward_MatchesLoopReference(double gammaValue)
    {
        torch.manual_seed(21);
        using var scope = torch.NewDisposeScope();
        using var block = new EfficientAttention(C, Heads, Dk, Dv);
        using (torch.no_grad())
        {
            block.named_parameters().Single(p => p.name == "gamma").parameter.fill_(gammaValue);
        }
        var x = torch.randn(B, C, H, W);

        var actual = Values(block.call(x));
        var expected = Reference(block, Values(x));

        AssertClose(expected, actual, 1e-5);
    }

    [Fact]
    public void Forward_AttentionPathIsNotNegligibleInTheReferenceTest()
    {
        // Guards the reference test: with gamma = 0.8 the attention branch must move the output by far more than the
        // tolerance, so a wrong softmax axis or transpose would be caught.
        torch.manual_seed(21);
        using var scope = torch.NewDisposeScope();
        using var block = new EfficientAttention(C, Heads, Dk, Dv);
        var x = torch.randn(B, C, H, W);
        var withGamma = new double[2][];
        foreach (var (value, index) in new[] { (0.0, 0), (0.8, 1) })
        {
            using (torch.no_grad())
            {
                block.named_parameters().Single(p => p.name == "gamma").parameter.fill_(value);
            }
            withGamma[index] = Values(block.call(x));
        }

        var largestChange = withGamma[0].Zip(withGamma[1], (a, b) => System.Math.Abs(a - b)).Max();
        Assert.True(largestChange > 1e-2, $"attention branch changed the output by only {largestChange}");
    }

    /// <summary>Direct computation with explicit loops over batch, head, positions and channels.</summary>
    private static double[] Reference(nn.Module block, double[] x)
    {
        var wq = Values(block, "to_q.weight");        // (h·dk, C)
        var wk = Values(block, "to_k.weight");        // (h·dk, C)
        var wv = Values(block, "to_v.weight");        // (h·dv, C)
        var wo = Values(block, "to_out.weight");      // (C, h·dv)
        var bo = Values(block, "to_out.bias");        // (C)
        var gamma = Values(block, "gamma")[0];
        var wi = Values(block, "ff_in.weight");       // (2C, C)
        var bi = Values(block, "ff_in.bias");         // (2C)
        var wf = Values(block, "ff_out.weight");      // (C, C)
        var bf = Values(block, "ff_out.bias");        // (C)

        double X(int b, int c, int i) => x[(b * C + c) * N + i];
        var result = new double[B * C * N];

        for (var b = 0; b < B; b++)
        {
            var merged = new double[Heads * Dv, N];
            for (var head = 0; head < Heads; head++)
            {
                var q = new double[Dk, N];
                var k = new double[Dk, N];
                var v = new double[Dv, N];
                for (var i = 0; i < N; i++)
                {
                    for (var d = 0; d < Dk; d++)
                    {
                        for (var c = 0; c < C; c++)
                        {
                            q[d, i] += wq[(head * Dk + d) * C + c] * X(b, c, i);
                            k[d, i] += wk[(head * Dk + d) * C + c] * X(b, c, i);
                        }
                    }
                    for (var e = 0; e < Dv; e++)
                    {
                        for (var c = 0; c < C; c++) v[e, i] += wv[(head * Dv + e) * C + c] * X(b, c, i);
                    }
                }

                // Queries: softmax over the key channels of each position.
                for (var i = 0; i < N; i++)
                {
                    var column = new double[Dk];
                    for (var d = 0; d < Dk; d++) column[d] = q[d, i];
                    Softmax(column);
                    for (var d = 0; d < Dk; d++) q[d, i] = column[d];
                }
                // Keys: softmax over positions of each key channel.
                for (var d = 0; d < Dk; d++)
                {
                    var row = new double[N];
                    for (var i = 0; i < N; i++) row[i] = k[d, i];
                    Softmax(row);
                    for (var i = 0; i < N; i++) k[d, i] = row[i];
                }

                var context = new double[Dk, Dv];
                for (var d = 0; d < Dk; d++)
                    for (var e = 0; e < Dv; e++)
                        for (var i = 0; i < N; i++) context[d, e] += k[d, i] * v[e, i];

                for (var e = 0; e < Dv; e++)
                    for (var i = 0; i < N; i++)
                        for (var d = 0; d < Dk; d++) merged[head * Dv + e, i] += context[d, e] * q[d, i];
            }

            var y = new double[C, N];
            for (var c = 0; c < C; c++)
            {
                for (var i = 0; i < N; i++)
                {
                    var o = bo[c];
                    for (var m = 0; m < Heads * Dv; m++) o += wo[c * Heads * Dv + m] * merged[m, i];
                    y[c, i] = X(b, c, i) + gamma * o;
                }
            }

            for (var i = 0; i < N; i++)
            {
                var hidden = new double[C];
                for (var c = 0; c < C; c++)
                {
                    double value = bi[c], gate = bi[C + c];
                    for (var j = 0; j < C; j++)
                    {
                        value += wi[c * C + j] * y[j, i];
                        gate += wi[(C + c) * C + j] * y[j, i];
                    }
                    hidden[c] = value * Sigmoid(gate);
                }
                for (var c = 0; c < C; c++)
                {
                    var f = bf[c];
                    for (var j = 0; j < C; j++) f += wf[c * C + j] * hidden[j];
                    result[(b * C + c) * N + i] = y[c, i] + f;
                }
            }
        }
        return result;
    }
}
