using System;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Metrics;

// INTERIM: replaced by FeatureStatistics / FrechetDistance from the features branch once it is merged.
internal sealed class InterimStatistics(int dimensions)
{
    private readonly Tensor sum = zeros(dimensions, dtype: ScalarType.Float64);
    private readonly Tensor outer = zeros(dimensions, dimensions, dtype: ScalarType.Float64);

    public long Count { get; private set; }

    public void Add(Tensor features)
    {
        using var scope = NewDisposeScope();
        var x = features.to(ScalarType.Float64).cpu();
        sum.add_(x.sum(0));
        outer.add_(x.t().matmul(x));
        Count += x.shape[0];
    }

    public static double Distance(InterimStatistics a, InterimStatistics b)
    {
        using var scope = NewDisposeScope();
        var (ma, ca) = a.Moments();
        var (mb, cb) = b.Moments();
        var (values, vectors) = linalg.eigh(ca);
        var root = vectors.matmul(diag(values.clamp_min(0).sqrt())).matmul(vectors.t());
        var inner = linalg.eigvalsh(root.matmul(cb).matmul(root)).clamp_min(0).sqrt().sum();
        return (ma - mb).square().sum().item<double>() + ca.trace().item<double>() + cb.trace().item<double>() - 2 * inner.item<double>();
    }

    private (Tensor Mean, Tensor Covariance) Moments()
    {
        if (Count < 2) throw new InvalidOperationException("A covariance needs at least two feature vectors.");
        var mean = sum / Count;
        return (mean, (outer - Count * mean.outer(mean)) / (Count - 1));
    }
}
