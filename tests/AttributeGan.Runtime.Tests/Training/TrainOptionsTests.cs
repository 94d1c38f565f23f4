using System;
using System.IO;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Tests.Distributed;
using AttributeGan.Runtime.Training;
using Xunit;

namespace AttributeGan.Runtime.Tests.Training;

/// <summary>The runtime is a library too: a refused setting is named as code sees it (TrainOptions.Batch), not as a flag.</summary>
public class TrainOptionsTests
{
    private static readonly TrainOptions Defaults = TrainOptions.FromSpec(TinySpec.Instance);

    private static InvalidSettingException Refusal(TrainOptions options) => Assert.Throws<InvalidSettingException>(options.Validate);

    [Fact]
    public void Out_of_range_settings_are_refused_naming_the_options_property()
    {
        Defaults.Validate();

        var batch = Refusal(Defaults with { Batch = 1 });
        Assert.Equal("TrainOptions.Batch must be at least 2 (batch norm needs two images), got 1.", batch.Message);
        Assert.Equal((typeof(TrainOptions), nameof(TrainOptions.Batch)), (batch.Options, batch.Property));
        Assert.Equal("--batch must be at least 2 (batch norm needs two images), got 1.", batch.MessageFor("--batch"));
        Assert.IsAssignableFrom<ArgumentException>(batch);

        Assert.Equal("TrainOptions.Steps must be at least 1, got 0.", Refusal(Defaults with { Steps = 0 }).Message);
        Assert.Equal("TrainOptions.KeepCheckpoints must be at least 1, got 0.", Refusal(Defaults with { KeepCheckpoints = 0 }).Message);
        Assert.Equal($"TrainOptions.SyntheticCount (4) must be at least the batch ({Defaults.Batch}).", Refusal(Defaults with { SyntheticCount = 4 }).Message);
        Assert.Equal("TrainOptions.CombinationPercentile must be in [0, 100), got 100.", Refusal(Defaults with { CombinationPercentile = 100 }).Message);
    }

    [Fact]
    public void A_batch_that_does_not_split_over_the_ranks_is_refused_naming_the_setting()
    {
        var run = new RunDirectory(Path.Combine(Path.GetTempPath(), "attributegan-options-" + Guid.NewGuid().ToString("N")));
        var odd = Assert.Throws<InvalidSettingException>(() =>
            new Trainer(TinySpec.Instance, Defaults with { Batch = 9 }, run, collectives: new TwinRankCollectives()).Run());
        Assert.Equal("TrainOptions.Batch (9) cannot be split evenly over 2 ranks; use a multiple of 2.", odd.Message);
        Assert.False(Directory.Exists(run.Root));
    }
}
