using System.Linq;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Inspection;
using Xunit;

namespace AttributeGan.Runtime.Tests;

public class ModelInspectorTests
{
    [Fact]
    public void Describing_the_tiny_model_measures_every_layer_and_finds_no_mismatch()
    {
        var report = ModelInspector.Inspect(TinySpec.Instance);

        Assert.Empty(report.Mismatches);
        Assert.Equal(TinySpec.Instance.GeneratorLayers.Count + TinySpec.Instance.DiscriminatorLayers.Count, report.Layers.Count);
        Assert.Equal(TinySpec.GeneratorParameterCount, report.GeneratorParameters);
        Assert.Equal(new long[] { 2, 3, 16, 16 }, report.GeneratorOutputShape);
        Assert.Equal(report.GeneratorParameters, report.Layers.Where(l => l.Network == "generator").Sum(l => l.Parameters));
    }
}
