using System.Linq;
using AttributeGan.Models.Numerics;
using AttributeGan.Models.Specs;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests.Numerics;

/// <summary>
/// The run-time numerics check, run on the layer shapes of every shipped spec: each block of both networks, on the
/// inputs a real pass gives it (layout included), against its float64 twin. Specs up to 64×64 at one and two threads
/// with three draws each; AttributeGan512, AttributeGan256 and BigGan512 at one and two threads (about 35 s and 20 s a
/// run here for the first two: the float64 passes of their 256² and 512² maps). The 512 ablations are left out: their blocks are AttributeGan512's
/// blocks, with the same inputs, minus the ones they remove.
/// </summary>
public sealed class ShippedSpecNumericsTests
{
    public static TheoryData<string, int> SmallSpecs()
    {
        var data = new TheoryData<string, int>();
        foreach (var spec in ModelCatalog.All.Where(s => s.Resolution <= 64))
        {
            data.Add(spec.Name, 1);
            data.Add(spec.Name, 2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(SmallSpecs))]
    public void Every_block_of_a_small_spec_matches_its_float64_reference(string name, int threads)
    {
        var spec = ModelCatalog.Find(name)!;
        for (int seed = 0; seed < 3; seed++)
        {
            var report = IntraOpThreads.With(threads, () => NumericsCheck.Run(spec, CPU, seed: seed));

            Assert.True(report.Passed, report.Summary());
            Assert.Equal(spec.GeneratorLayers.Count, report.Blocks.Count(b => b.Network == "generator"));
            Assert.Equal(spec.DiscriminatorLayers.Count, report.Blocks.Count(b => b.Network == "discriminator"));
        }
    }

    public static TheoryData<string, int> LargeSpecs()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in new[] { "AttributeGan512", "AttributeGan256", "BigGan512" })
        {
            data.Add(name, 1);
            data.Add(name, 2);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(LargeSpecs))]
    public void Every_block_of_a_large_spec_matches_its_float64_reference(string name, int threads)
    {
        var spec = ModelCatalog.Find(name)!;

        var report = IntraOpThreads.With(threads, () => NumericsCheck.Run(spec, CPU));

        Assert.True(report.Passed, report.Summary());
        Assert.Equal(spec.GeneratorLayers.Count + spec.DiscriminatorLayers.Count, report.Blocks.Count);
    }

    [Theory]
    [InlineData("AttributeGan512NoAttention")]
    [InlineData("AttributeGan512NoContrastive")]
    public void A_512_ablation_has_no_layer_that_AttributeGan512_lacks(string name)
    {
        static string[] Layers(IGanSpec spec) =>
            spec.GeneratorLayers.Select(l => "generator " + Describe(l)).Concat(spec.DiscriminatorLayers.Select(l => "discriminator " + Describe(l))).ToArray();
        static string Describe(LayerShape layer) => $"{layer.Kind} {layer.FormatShape()} {layer.Parameters}";

        var missing = Layers(ModelCatalog.Find(name)!).Except(Layers(ModelCatalog.Find("AttributeGan512")!)).ToList();

        Assert.True(missing.Count == 0, $"{name} has layers the AttributeGan512 check does not cover: {string.Join("; ", missing)}");
    }
}
