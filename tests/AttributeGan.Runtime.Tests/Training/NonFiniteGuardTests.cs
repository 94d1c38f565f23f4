using System.Collections.Generic;
using AttributeGan.Runtime.Training;
using Xunit;

namespace AttributeGan.Runtime.Tests.Training;

public class NonFiniteGuardTests
{
    [Fact]
    public void Finite_losses_pass()
    {
        NonFiniteGuard.Check(7, ("d_adversarial", 1.25), ("g_adversarial", -3.0), ("reconstruction", 0.0));
        NonFiniteGuard.Check(7, new Dictionary<string, double> { ["d_contrastive"] = double.MaxValue });
    }

    [Fact]
    public void A_NaN_loss_names_the_step_the_loss_and_the_kept_checkpoint()
    {
        var e = Assert.Throws<TrainingDivergedException>(
            () => NonFiniteGuard.Check(1234, ("d_adversarial", 0.5), ("g_contrastive", double.NaN)));

        Assert.Equal(1234, e.Step);
        Assert.Equal("g_contrastive", e.LossName);
        Assert.True(double.IsNaN(e.Value));
        Assert.Equal(
            "Training diverged at step 1234: loss 'g_contrastive' is NaN. The last good checkpoint is kept and this step's " +
            "weights are not saved; resume from that checkpoint with a lower learning rate or another seed.",
            e.Message);
    }

    [Fact]
    public void The_first_non_finite_loss_in_order_is_reported_with_its_sign()
    {
        var losses = new List<KeyValuePair<string, double>>
        {
            new("d_adversarial", 2.0),
            new("reconstruction", double.PositiveInfinity),
            new("g_adversarial", double.NaN),
        };
        var e = Assert.Throws<TrainingDivergedException>(() => NonFiniteGuard.Check(9, losses));
        Assert.Equal("reconstruction", e.LossName);
        Assert.Contains("step 9: loss 'reconstruction' is +infinity", e.Message);

        var negative = Assert.Throws<TrainingDivergedException>(() => NonFiniteGuard.Check(10, "g_adversarial", double.NegativeInfinity));
        Assert.Contains("is -infinity", negative.Message);
        Assert.Contains("last good checkpoint is kept", negative.Message);
    }
}
