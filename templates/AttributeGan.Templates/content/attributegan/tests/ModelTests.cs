using System.Linq;
using AttributeGanApp.Specs;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGanApp.Tests;

/// <summary>
/// The numbers the build computed from each spec (parameters, output shapes) against the real TorchSharp modules: a
/// forward pass through both networks, which also proves TorchSharp's native library loads in the test output.
/// </summary>
public class ModelTests
{
    public static TheoryData<string> Models => new(ModelCatalog.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Models))]
    public void Compile_time_numbers_equal_the_modules(string model)
    {
        var spec = ModelCatalog.Find(model)!;
        using var scope = NewDisposeScope();
        using var generator = spec.CreateGenerator();
        using var discriminator = spec.CreateDiscriminator();
        Assert.Equal(spec.GeneratorParameters, generator.parameters().Sum(p => p.numel()));
        Assert.Equal(spec.DiscriminatorParameters, discriminator.parameters().Sum(p => p.numel()));

        generator.eval();
        using var noGrad = no_grad();
        var noise = randn(2, spec.LatentSize);
        var attributes = zeros(2, spec.Attributes.Width);
        var images = generator.call(noise, attributes);
        Assert.Equal(new long[] { 2, spec.ImageChannels, spec.Resolution, spec.Resolution }, images.shape);
    }
}
