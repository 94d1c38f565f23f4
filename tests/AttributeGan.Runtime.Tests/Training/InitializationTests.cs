using System;
using System.Linq;
using AttributeGan.Models.Blocks;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Training;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public class InitializationTests
{
    [Fact]
    public void Weights_have_std_sqrt2_over_sqrt_fan_in_and_biases_are_zero()
    {
        torch.manual_seed(51);
        using var linear = nn.Linear(4096, 256);                                        // fan_in 4096, 1 M weights
        using var conv = nn.Conv2d(64, 128, 3);                                         // fan_in 64·9 = 576
        using var transposed = nn.ConvTranspose2d(32, 64, 4);                           // weight (32, 64, 4, 4): fan_in 64·16 = 1024
        using var model = nn.Sequential(("linear", linear), ("conv", conv), ("transposed", transposed));

        Assert.Equal(3, Initialization.KaimingNormal(model));

        AssertNormal(linear.weight!, Math.Sqrt(2.0) / Math.Sqrt(4096), 0.01);
        AssertNormal(conv.weight!, Math.Sqrt(2.0) / Math.Sqrt(576), 0.02);
        AssertNormal(transposed.weight!, Math.Sqrt(2.0) / Math.Sqrt(1024), 0.03);
        Assert.Equal(0.0, linear.bias!.abs().max().item<float>());
        Assert.Equal(0.0, conv.bias!.abs().max().item<float>());
        Assert.Equal(0.0, transposed.bias!.abs().max().item<float>());
    }

    [Fact]
    public void A_leaky_slope_changes_the_gain()
    {
        torch.manual_seed(52);
        using var linear = nn.Linear(2048, 512);
        Initialization.KaimingNormal(linear, negativeSlope: 1.0);                       // gain √(2 / 2) = 1
        AssertNormal(linear.weight!, 1.0 / Math.Sqrt(2048), 0.01);
    }

    [Fact]
    public void Batch_norm_and_the_attention_scale_are_left_alone()
    {
        torch.manual_seed(53);
        using var attention = new EfficientAttention(8, 2, 4, 4);
        using var norm = nn.BatchNorm2d(6);
        using (torch.no_grad())
        {
            norm.weight!.fill_(0.5);
            norm.bias!.fill_(0.25);
            norm.running_mean!.fill_(3.0);
        }
        using var model = nn.Sequential(("attention", attention), ("norm", norm));

        Assert.Equal(6, Initialization.KaimingNormal(model));                           // to_q, to_k, to_v, to_out, ff_in, ff_out

        var gamma = attention.named_parameters().Single(p => p.name == "gamma").parameter;
        Assert.Equal(EfficientAttention.InitialGamma, gamma.item<float>(), 1e-9);
        Assert.Equal(0.5f, norm.weight!.min().item<float>());
        Assert.Equal(0.25f, norm.bias!.max().item<float>());
        Assert.Equal(3.0f, norm.running_mean!.min().item<float>());
        Assert.Equal(1.0f, norm.running_var!.min().item<float>());
    }

    [Fact]
    public void Every_conv_and_linear_of_a_real_network_is_reached_and_the_result_repeats_under_a_seed()
    {
        using var first = TinySpec.Instance.CreateDiscriminator();
        using var second = TinySpec.Instance.CreateDiscriminator();
        using var generator = TinySpec.Instance.CreateGenerator();

        torch.manual_seed(54);
        int count = Initialization.KaimingNormal(first);
        torch.manual_seed(54);
        Initialization.KaimingNormal(second);
        torch.manual_seed(55);
        int generatorCount = Initialization.KaimingNormal(generator);

        static bool Layer(nn.Module m) => m is Conv2d or ConvTranspose2d or Linear or AttributeGan.Models.Layers.Conv or AttributeGan.Models.Layers.Dense;
        int expected = first.modules().Count(Layer);
        Assert.True(expected > 10, $"only {expected} layers");
        Assert.Equal(expected, count);
        Assert.Equal(generator.modules().Count(Layer), generatorCount);
        Assert.Contains(generator.modules(), m => m is ConvTranspose2d);
        var a = first.named_parameters().ToList();
        var b = second.named_parameters().ToList();
        Assert.Equal(a.Select(p => p.name), b.Select(p => p.name));
        for (var i = 0; i < a.Count; i++) Assert.Equal(TensorData.Flat(a[i].parameter), TensorData.Flat(b[i].parameter));
        foreach (var (name, parameter) in a.Where(p => p.name.EndsWith(".bias") && !p.name.Contains("norm")))
        {
            Assert.True(parameter.abs().max().item<float>() == 0f, $"{name} is not zero");
        }

        torch.manual_seed(56);
        Initialization.KaimingNormal(second);
        Assert.NotEqual(TensorData.Flat(a[0].parameter), TensorData.Flat(second.parameters().First()));
    }

    private static void AssertNormal(Tensor weight, double std, double relativeTolerance)
    {
        var values = TensorData.Flat(weight);
        double mean = values.Average();
        double measured = Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1));
        Assert.InRange(measured, std * (1 - relativeTolerance), std * (1 + relativeTolerance));
        Assert.InRange(mean, -4 * std / Math.Sqrt(values.Length), 4 * std / Math.Sqrt(values.Length));
    }
}
