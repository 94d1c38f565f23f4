using System;
using System.Globalization;
using Xunit;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>GradientAverager over two MPI ranks against single-process full-batch gradients.</summary>
public class MpiGradientAveragingTests
{
    [Fact]
    public void Two_ranks_on_half_batches_average_to_the_full_batch_gradients_with_buckets_started_during_backward()
    {
        var job = MpiCollectivesTests.Completed("bucketed-gradients");
        for (var rank = 0; rank < ProbeJob.Ranks; rank++)
        {
            for (var step = 1; step <= 3; step++)
            {
                Assert.True(Number(job, rank, $"step{step}.max_rel_diff") <= 1e-5, job.ToString());
                Assert.Equal("true", job.Value(rank, $"step{step}.unused_grads_null"));
                Assert.True(Number(job, rank, $"step{step}.buckets") > 1, job.ToString());
            }

            // After the first step the buckets follow the observed ready order, and some start before backward ends.
            Assert.True(Number(job, rank, "step2.started_during_backward") > 0, job.ToString());
            Assert.True(Number(job, rank, "step3.started_during_backward") > 0, job.ToString());
            Assert.Equal(job.Value(0, "step2.started_during_backward"), job.Value(rank, "step2.started_during_backward"));
            Assert.True(Number(job, rank, "float64.max_rel_diff") <= 1e-12, job.ToString());
            Assert.Equal("0", job.Value(rank, "unarmed.started_during_backward"));
            Assert.True(Number(job, rank, "unarmed.max_rel_diff") <= 1e-5, job.ToString());
        }
    }

    [Fact]
    public void A_parameter_used_outside_its_module_fails_the_job_naming_it_instead_of_averaging_wrongly()
    {
        var job = ProbeJob.Run("misuse", TimeSpan.FromSeconds(120));
        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.Contains("Gradients of head.weight changed after their bucket was sent during backward", job.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("misuse=undetected", job.Output, StringComparison.Ordinal);
    }

    private static double Number(ProbeJob job, int rank, string key) =>
        double.Parse(job.Value(rank, key), NumberStyles.Float, CultureInfo.InvariantCulture);
}
