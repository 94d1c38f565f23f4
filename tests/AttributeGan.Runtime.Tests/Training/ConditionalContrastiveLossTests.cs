using System;
using AttributeGan.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public class ConditionalContrastiveLossTests
{
    // Singletons (0, 3, 5), a pair (1) and a triple (2).
    private static readonly long[] Labels = { 0, 1, 1, 2, 2, 2, 3, 5 };

    // Gathered from "other ranks": a match for the triple, for singleton 3 and for the pair; one unmatched label (7).
    private static readonly long[] OtherLabels = { 2, 3, 7, 1, 0 };

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.1)]
    [InlineData(0.01)]
    public void Loss_matches_a_loop_over_Eq_1(double temperature)
    {
        torch.manual_seed(21);
        using var scope = torch.NewDisposeScope();
        var f = Normalised(8, 6);
        var l = Normalised(8, 6);
        var y = torch.tensor(Labels);

        var loss = ConditionalContrastiveLoss.Compute(f, l, y, temperature);

        double expected = Reference(TensorData.Matrix(f), TensorData.Matrix(l), Labels, temperature, null, null);
        Assert.Equal(0, loss.dim());
        Assert.Equal(expected, loss.item<double>(), 1e-10);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.2)]
    [InlineData(0.05)]
    public void Gathered_embeddings_join_both_sums_as_the_loop_says(double temperature)
    {
        torch.manual_seed(22);
        using var scope = torch.NewDisposeScope();
        var f = Normalised(8, 6);
        var l = Normalised(8, 6);
        var o = Normalised(5, 6);
        var y = torch.tensor(Labels);
        var oy = torch.tensor(OtherLabels, dtype: ScalarType.Int32);                  // any integer type

        // This rank's rows sit at offset 2 of the global batch, between other ranks' rows.
        var keys = torch.cat(new[] { o[TensorIndex.Slice(0, 2)], f, o[TensorIndex.Slice(2, 5)] }, 0);                 // (13, 6)
        var keyLabels = torch.cat(new[] { oy[TensorIndex.Slice(0, 2)], y.to(ScalarType.Int32), oy[TensorIndex.Slice(2, 5)] }, 0);
        var loss = ConditionalContrastiveLoss.Compute(f, l, y, temperature, new GlobalBatch(keys, keyLabels, 2));
        var withoutOthers = ConditionalContrastiveLoss.Compute(f, l, y, temperature);

        double expected = Reference(TensorData.Matrix(f), TensorData.Matrix(l), Labels, temperature, TensorData.Matrix(o), OtherLabels);
        Assert.Equal(expected, loss.item<double>(), 1e-10);
        Assert.True(Math.Abs(withoutOthers.item<double>() - loss.item<double>()) > 1e-6);
    }

    [Fact]
    public void Ranks_together_give_the_full_batch_loss()
    {
        torch.manual_seed(23);
        using var scope = torch.NewDisposeScope();
        var f = Normalised(8, 5);
        var l = Normalised(8, 5);
        var y = torch.tensor(Labels);
        var full = ConditionalContrastiveLoss.Compute(f, l, y, 0.3).item<double>();

        // Rank 0 holds rows 0..3, rank 1 rows 4..7; both see the whole global batch.
        var first = TensorIndex.Slice(0, 4);
        var second = TensorIndex.Slice(4, 8);
        var global0 = new GlobalBatch(f, y, 0);
        var global1 = new GlobalBatch(f, y, 4);
        var rank0 = ConditionalContrastiveLoss.Compute(f[first], l[first], y[first], 0.3, global0).item<double>();
        var rank1 = ConditionalContrastiveLoss.Compute(f[second], l[second], y[second], 0.3, global1).item<double>();

        Assert.Equal(full, (rank0 + rank1) / 2, 1e-12);
    }

    [Fact]
    public void A_tiny_temperature_stays_finite_and_exact()
    {
        torch.manual_seed(24);
        using var scope = torch.NewDisposeScope();
        var f = Normalised(8, 4);
        var l = Normalised(8, 4);
        var y = torch.tensor(Labels);

        // exp(1/0.001) overflows a double: only a max-subtracted log-sum-exp survives.
        var loss = ConditionalContrastiveLoss.Compute(f, l, y, 0.001).item<double>();
        var lossFloat = ConditionalContrastiveLoss.Compute(f.to(ScalarType.Float32), l.to(ScalarType.Float32), y, 0.001).item<float>();

        double expected = Reference(TensorData.Matrix(f), TensorData.Matrix(l), Labels, 0.001, null, null);
        Assert.True(double.IsFinite(loss));
        Assert.Equal(expected, loss, 1e-6);
        Assert.True(float.IsFinite(lossFloat));
    }

    [Fact]
    public void Gradient_matches_central_differences_for_local_and_gathered_embeddings()
    {
        torch.manual_seed(25);
        using var scope = torch.NewDisposeScope();
        long[] labels = { 4, 4, 9, 4 };
        long[] otherLabels = { 9, 1 };
        const double t = 0.7;
        // Raw (unnormalised) inputs: Eq. 1 is a smooth function of them, which is all a difference quotient needs.
        var f = TensorData.RandomDouble(4, 3).requires_grad_();
        var l = TensorData.RandomDouble(4, 3).requires_grad_();
        var o = TensorData.RandomDouble(2, 3).requires_grad_();
        var y = torch.tensor(labels);
        var oy = torch.tensor(otherLabels);
        var keys = torch.cat(new[] { f, o }, 0);                                          // (6, 3): this rank first

        ConditionalContrastiveLoss.Compute(f, l, y, t, new GlobalBatch(keys, torch.cat(new[] { y, oy }, 0), 0)).backward();

        var fd = TensorData.Matrix(f);
        var ld = TensorData.Matrix(l);
        var od = TensorData.Matrix(o);
        var fGrad = TensorData.Matrix(f.grad!);
        var lGrad = TensorData.Matrix(l.grad!);
        var oGrad = TensorData.Matrix(o.grad!);
        const double h = 1e-6;
        for (var d = 0; d < 3; d++)
        {
            for (var i = 0; i < 4; i++)
            {
                Assert.Equal(Difference(fd, i, d, h, x => Reference(x, ld, labels, t, od, otherLabels)), fGrad[i, d], 1e-7);
                Assert.Equal(Difference(ld, i, d, h, x => Reference(fd, x, labels, t, od, otherLabels)), lGrad[i, d], 1e-7);
            }
            // The other ranks' rows receive this rank's share of their gradient (the gather's backward sums the shares).
            for (var k = 0; k < 2; k++)
                Assert.Equal(Difference(od, k, d, h, x => Reference(fd, ld, labels, t, x, otherLabels)), oGrad[k, d], 1e-7);
        }
        Assert.True(o.grad!.abs().max().item<double>() > 1e-6);
    }

    [Fact]
    public void Mismatched_inputs_are_rejected_with_their_shapes()
    {
        using var scope = torch.NewDisposeScope();
        var f = torch.zeros(4, 3);
        var y = torch.tensor(new long[] { 0, 1, 2, 3 });
        Assert.Contains("(4, 2)", Assert.Throws<ArgumentException>(() => ConditionalContrastiveLoss.Compute(f, torch.zeros(4, 2), y, 1.0)).Message);
        Assert.Throws<ArgumentException>(() => ConditionalContrastiveLoss.Compute(f, f, torch.zeros(4), 1.0));
        Assert.Throws<ArgumentException>(() => ConditionalContrastiveLoss.Compute(f, f, y, 1.0, new GlobalBatch(torch.zeros(2, 3), torch.zeros(2, ScalarType.Int64), 0)));
        Assert.Throws<ArgumentException>(() => ConditionalContrastiveLoss.Compute(f, f, y, 1.0, new GlobalBatch(torch.zeros(8, 3), torch.zeros(7, ScalarType.Int64), 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => ConditionalContrastiveLoss.Compute(f, f, y, 0.0));
    }

    private static Tensor Normalised(long rows, long dim) =>
        nn.functional.normalize(TensorData.RandomDouble(rows, dim), p: 2, dim: 1);

    /// <summary>Eq. 1 with explicit loops over i, k and d; each sum shifted by its largest logit (exact, overflow-free).</summary>
    private static double Reference(double[,] f, double[,] l, long[] y, double t, double[,]? o, long[]? oy)
    {
        int b = f.GetLength(0), dim = f.GetLength(1), m = o?.GetLength(0) ?? 0;
        double total = 0;
        for (var i = 0; i < b; i++)
        {
            double own = 0;
            for (var d = 0; d < dim; d++) own += f[i, d] * l[i, d];
            own /= t;

            var pair = new double[b];
            var cross = new double[m];
            for (var k = 0; k < b; k++)
            {
                if (k == i) continue;
                for (var d = 0; d < dim; d++) pair[k] += f[i, d] * f[k, d];
                pair[k] /= t;
            }
            for (var k = 0; k < m; k++)
            {
                for (var d = 0; d < dim; d++) cross[k] += f[i, d] * o![k, d];
                cross[k] /= t;
            }

            // Largest logit of each sum, subtracted before exponentiating.
            double numeratorShift = own, denominatorShift = own;
            for (var k = 0; k < b; k++)
            {
                if (k == i) continue;
                denominatorShift = Math.Max(denominatorShift, pair[k]);
                if (y[k] == y[i]) numeratorShift = Math.Max(numeratorShift, pair[k]);
            }
            for (var k = 0; k < m; k++)
            {
                denominatorShift = Math.Max(denominatorShift, cross[k]);
                if (oy![k] == y[i]) numeratorShift = Math.Max(numeratorShift, cross[k]);
            }

            double numerator = Math.Exp(own - numeratorShift), denominator = Math.Exp(own - denominatorShift);
            for (var k = 0; k < b; k++)
            {
                if (k == i) continue;
                denominator += Math.Exp(pair[k] - denominatorShift);
                if (y[k] == y[i]) numerator += Math.Exp(pair[k] - numeratorShift);
            }
            for (var k = 0; k < m; k++)
            {
                denominator += Math.Exp(cross[k] - denominatorShift);
                if (oy![k] == y[i]) numerator += Math.Exp(cross[k] - numeratorShift);
            }
            // L_i = −log(num / den), with num = e^numeratorShift·numerator and den = e^denominatorShift·denominator.
            total += denominatorShift + Math.Log(denominator) - numeratorShift - Math.Log(numerator);
        }
        return total / b;
    }

    private static double Difference(double[,] x, int i, int d, double h, Func<double[,], double> loss)
    {
        var plus = (double[,])x.Clone();
        var minus = (double[,])x.Clone();
        plus[i, d] += h;
        minus[i, d] -= h;
        return (loss(plus) - loss(minus)) / (2 * h);
    }
}
