using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Evaluation.Features;
using AttributeGan.Models.Blocks;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Features;

/// <summary>
/// The feature networks under the same rule as the model's blocks: the classifier's fine-tuning back-propagates through
/// ResNet-18, so its output and every gradient must match float64, and every convolution that runs must read
/// channels-last (1×1 ones are matrix products) — the layout libtorch's CPU kernels compute right.
/// </summary>
public sealed class FeatureNetworkNumericsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void ResNet18_in_training_mode_matches_float64_in_output_and_every_gradient(int threads)
    {
        torch.manual_seed(12);
        using var scope = NewDisposeScope();
        using var network = new ResNet18Backbone();
        using var twin = Float64Reference.Twin(network, () => new ResNet18Backbone());
        var images = randn(2, 3, 64, 64) * 50;                                           // the backbone's 0–255 scale, mean removed

        var deviations = IntraOpThreads.With(threads, () => Float64Reference.Compare(network, twin, new[] { images }));

        var wrong = deviations.Where(d => !(d.IsFinite && d.RelativeError <= Float64Reference.Tolerance)).Select(d => $"{d.Quantity} {d.RelativeError:e1}").ToList();
        Assert.True(wrong.Count == 0, string.Join(", ", wrong));
        Assert.Equal(network.parameters().Count(), deviations.Count(d => d.Quantity.EndsWith("weight gradient", StringComparison.Ordinal) || d.Quantity.EndsWith("bias gradient", StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_convolution_of_the_feature_networks_reads_channels_last_and_pointwise_ones_are_matrix_products()
    {
        torch.manual_seed(13);
        using var scope = NewDisposeScope();
        using var resnet = new ResNet18Backbone();
        using var inception = new FidInceptionV3();
        inception.eval();
        var problems = new List<string>();
        int calls = 0;
        var removers = Watch("resnet", resnet).Concat(Watch("inception", inception)).ToList();
        try
        {
            resnet.call(randn(2, 3, 64, 64));
            using (no_grad()) inception.call(rand(1, 3, 299, 299));
        }
        finally
        {
            foreach (var remove in removers) remove();
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Distinct()));
        Assert.True(calls > 20, $"only {calls} convolutions ran");

        IEnumerable<Action> Watch(string network, nn.Module root)
        {
            foreach (var (name, module) in root.named_modules())
            {
                if (module is not Conv2d conv) continue;
                bool pointwise = conv.weight!.shape[2] == 1 && conv.weight.shape[3] == 1;
                yield return conv.register_forward_pre_hook((_, x) =>
                {
                    calls++;
                    if (pointwise) problems.Add($"{network}.{name}: a 1×1 convolution ran as a convolution");
                    else if (!MemoryLayout.IsChannelsLast(x)) problems.Add($"{network}.{name}: input is not channels-last");
                    return x;
                }).remove;
            }
        }
    }
}
