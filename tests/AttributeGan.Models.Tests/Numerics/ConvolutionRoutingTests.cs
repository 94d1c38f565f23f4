using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Specs;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests.Numerics;

/// <summary>
/// The rule that keeps the blocks off libtorch's defective kernels, checked on any CPU (the float64 comparisons can
/// only fail on a machine that has the defects): every convolution and linear layer that runs in a training pass of a
/// shipped spec's networks is the blocks' own <see cref="Conv"/> or <see cref="Dense"/>, which apply the rule
/// (a 1×1 kernel as a matrix product, a larger one on a channels-last input); no TorchSharp convolution, transposed
/// convolution or linear module runs (the initial block's transposed convolutions are matrix products).
/// </summary>
public sealed class ConvolutionRoutingTests
{
    public static TheoryData<string> Specs() => new(ModelCatalog.All.Where(s => s.Resolution <= 64).Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_convolution_that_runs_is_a_block_convolution_that_applies_the_layout_rule(string name)
    {
        var spec = ModelCatalog.Find(name)!;
        torch.manual_seed(3);
        using var scope = NewDisposeScope();
        using var generator = spec.CreateGenerator();
        using var discriminator = spec.CreateDiscriminator();
        var calls = new List<string>();
        var problems = new List<string>();
        var removers = Watch("generator", generator, calls, problems).Concat(Watch("discriminator", discriminator, calls, problems)).ToList();
        try
        {
            var attributes = zeros(2, spec.Attributes.Width);
            attributes[.., 0] = tensor(1f);
            var images = generator.call(randn(2, spec.LatentSize), attributes);
            discriminator.call(images, attributes, DiscriminatorHeads.All(quadrant: 2));
        }
        finally
        {
            foreach (var remove in removers) remove();
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Contains(calls, c => c.StartsWith("generator", StringComparison.Ordinal));
        Assert.Contains(calls, c => c.StartsWith("discriminator", StringComparison.Ordinal));
    }

    private static IEnumerable<Action> Watch(string network, nn.Module root, List<string> calls, List<string> problems)
    {
        foreach (var (name, module) in root.named_modules())
        {
            var where = $"{network}.{name}";
            switch (module)
            {
                case Conv or Dense:
                    yield return ((nn.Module<Tensor, Tensor>)module).register_forward_pre_hook((_, x) => { calls.Add(where); return x; }).remove;
                    break;
                case ConvTranspose2d or Conv2d or Linear:
                    yield return ((nn.Module<Tensor, Tensor>)module).register_forward_pre_hook((_, x) =>
                    {
                        problems.Add($"{where}: a TorchSharp {module.GetType().Name} ran; blocks compute through Layers.Conv / Layers.Dense (or, for the initial block, a matrix product)");
                        return x;
                    }).remove;
                    break;
            }
        }
    }
}
