using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Blocks;
using AttributeGan.Models.Specs;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests.Numerics;

/// <summary>
/// The rule that keeps the blocks off libtorch's defective kernels, checked on any CPU (the float64 comparisons can
/// only fail on a machine that has the defects): in a training pass of every shipped spec's networks, every
/// convolution module that runs has a kernel larger than 1×1 and a channels-last input; 1×1 convolutions and the
/// initial transposed convolutions never run as convolutions (they are matrix products).
/// </summary>
public sealed class ConvolutionRoutingTests
{
    public static TheoryData<string> Specs() => new(ModelCatalog.All.Where(s => s.Resolution <= 64).Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Specs))]
    public void Every_convolution_that_runs_reads_channels_last_and_pointwise_ones_are_matrix_products(string name)
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
        Assert.NotEmpty(calls);                                   // the hooks saw the larger convolutions
    }

    private static IEnumerable<Action> Watch(string network, nn.Module root, List<string> calls, List<string> problems)
    {
        foreach (var (name, module) in root.named_modules())
        {
            var where = $"{network}.{name}";
            switch (module)
            {
                case ConvTranspose2d transposed:
                    yield return transposed.register_forward_pre_hook((_, x) =>
                    {
                        problems.Add($"{where}: a transposed convolution ran as one (the initial block computes it as a matrix product)");
                        return x;
                    }).remove;
                    break;
                case Conv2d conv:
                    bool pointwise = conv.weight!.shape[2] == 1 && conv.weight.shape[3] == 1;
                    yield return conv.register_forward_pre_hook((_, x) =>
                    {
                        calls.Add(where);
                        if (pointwise) problems.Add($"{where}: a 1×1 convolution ran as a convolution (Pointwise.Apply computes it as a matrix product)");
                        else if (!MemoryLayout.IsChannelsLast(x)) problems.Add($"{where}: input strides ({string.Join(", ", x.stride())}) are not channels-last");
                        return x;
                    }).remove;
                    break;
            }
        }
    }
}
