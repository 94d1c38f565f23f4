using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Distributed.Probe;

/// <summary>
/// Data-parallel gradients against the single-process truth: every rank computes the full-batch gradients itself as
/// the reference, then its half of the batch through <see cref="GradientAverager"/>.
/// </summary>
internal static class GradientScenarios
{
    private const int Batch = 8;

    public static void Bucketed(ICollectives c)
    {
        torch.manual_seed(7);   // same weights and data on every rank
        using var net = new ProbeNet();
        var (real, fake) = Data();
        var reference = Gradients(net, () => Loss(net, real, fake));

        var share = Batch / c.WorldSize;
        var myReal = real.narrow(0, c.Rank * share, share);
        var myFake = fake.narrow(0, c.Rank * share, share);
        using var averager = new GradientAverager(c, net, bucketBytes: 1024);
        Report.Line(c, "buckets.initial", averager.BucketCount);
        // Step 1 settles the bucket order; steps 2 and 3 zero gradients in place and set them to null, the two
        // zero_grad styles.
        for (var step = 1; step <= 3; step++)
        {
            if (step == 2) foreach (var p in net.parameters()) p.grad?.zero_();
            else net.zero_grad();
            averager.Arm();
            Loss(net, myReal, myFake).backward();
            averager.Average();
            var (maxAbs, maxRelative) = Difference(net, reference);
            Report.Line(c, $"step{step}.buckets", averager.BucketCount);
            Report.Line(c, $"step{step}.started_during_backward", averager.BucketsStartedDuringBackward);
            Report.Line(c, $"step{step}.max_abs_diff", maxAbs);
            Report.Line(c, $"step{step}.max_rel_diff", maxRelative);
            Report.Line(c, $"step{step}.unused_grads_null", net.named_parameters().Where(p => p.name.StartsWith("unused", StringComparison.Ordinal)).All(p => p.parameter.grad is null));
        }

        // Without Arm(): everything reduced after backward, same result.
        net.zero_grad();
        Loss(net, myReal, myFake).backward();
        averager.Average();
        Report.Line(c, "unarmed.started_during_backward", averager.BucketsStartedDuringBackward);
        Report.Line(c, "unarmed.max_rel_diff", Difference(net, reference).MaxRelative);

        // In float64 the only difference left is summation order: it shows nothing else differs.
        net.to(ScalarType.Float64);
        var (real64, fake64) = (real.to(ScalarType.Float64), fake.to(ScalarType.Float64));
        var reference64 = Gradients(net, () => Loss(net, real64, fake64));
        using var averager64 = new GradientAverager(c, net, bucketBytes: 2048);
        for (var step = 1; step <= 2; step++)
        {
            net.zero_grad();
            averager64.Arm();
            Loss(net, real64.narrow(0, c.Rank * share, share), fake64.narrow(0, c.Rank * share, share)).backward();
            averager64.Average();
        }

        Report.Line(c, "float64.started_during_backward", averager64.BucketsStartedDuringBackward);
        Report.Line(c, "float64.max_rel_diff", Difference(net, reference64).MaxRelative);
    }

    public static void Misuse(ICollectives c)
    {
        torch.manual_seed(7);
        using var net = new ProbeNet(reuseHeadWeight: true);
        var (real, fake) = Data();
        var share = Batch / c.WorldSize;
        using var averager = new GradientAverager(c, net, bucketBytes: 32);
        net.zero_grad();
        averager.Arm();
        Loss(net, real.narrow(0, c.Rank * share, share), fake.narrow(0, c.Rank * share, share)).backward();
        averager.Average();   // must throw: head.weight's gradient was incomplete when its bucket started
        Report.Line(c, "misuse", $"undetected ({averager.BucketsStartedDuringBackward} of {averager.BucketCount} buckets started during backward)");
    }

    private static (Tensor Real, Tensor Fake) Data() => (torch.randn(Batch, 3, 8, 8), torch.randn(Batch, 3, 8, 8));

    // Two passes per step, as a discriminator on real and generated images: hinge loss, mean over the batch.
    private static Tensor Loss(ProbeNet net, Tensor real, Tensor fake) =>
        nn.functional.relu(1 - net.call(real)).mean() + nn.functional.relu(1 + net.call(fake)).mean();

    private static Dictionary<string, Tensor> Gradients(ProbeNet net, Func<Tensor> loss)
    {
        net.zero_grad();
        loss().backward();
        return net.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().to(ScalarType.Float64).clone());
    }

    // Largest absolute difference, and that over the largest reference gradient magnitude.
    private static (double MaxAbs, double MaxRelative) Difference(ProbeNet net, Dictionary<string, Tensor> reference)
    {
        double maxAbs = 0, scale = 0;
        foreach (var (name, p) in net.named_parameters())
        {
            if (!reference.TryGetValue(name, out var expected))
            {
                if (p.grad is not null) throw new InvalidOperationException($"{name} has a gradient the reference has not.");
                continue;
            }

            var actual = p.grad ?? throw new InvalidOperationException($"{name} lost its gradient.");
            maxAbs = Math.Max(maxAbs, (actual.to(ScalarType.Float64) - expected).abs().max().item<double>());
            scale = Math.Max(scale, expected.abs().max().item<double>());
        }

        return (maxAbs, maxAbs / scale);
    }
}
