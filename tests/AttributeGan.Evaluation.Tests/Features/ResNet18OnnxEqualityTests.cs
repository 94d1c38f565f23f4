using AttributeGan.Evaluation.Features;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Features;

/// <summary>
/// The TorchSharp port of the package's two ONNX graphs against ONNX Runtime running the files themselves, on the
/// fixed test images. The figures go to the test output (dotnet test --logger "console;verbosity=detailed").
/// </summary>
[Collection(ImageNetResNet18Collection.Name)]
public class ResNet18OnnxEqualityTests
{
    private const double Tolerance = 1e-4;

    private readonly ImageNetResNet18Fixture fixture;
    private readonly ITestOutputHelper output;

    public ResNet18OnnxEqualityTests(ImageNetResNet18Fixture fixture, ITestOutputHelper output)
    {
        this.fixture = fixture;
        this.output = output;
    }

    [Fact]
    public void Preprocessing_equals_ResNetPreprocess_onnx()
    {
        using var pixels = fixture.Images * 255.0;                                         // (4, 3, 224, 224), 0–255
        using var reference = new OnnxRuntimeReference(DnnImageModelFiles.DefaultPreprocessPath);
        using var expected = reference.Run(pixels);
        using var actual = fixture.Preprocessing.FromPixels(pixels);

        var difference = TestImages.MaxAbsDifference(expected, actual);
        output.WriteLine($"preprocessing: max |TorchSharp − ONNX Runtime| = {difference:E2} (values up to ±{expected.abs().max().item<float>():F1})");
        Assert.True(difference < Tolerance, $"max abs difference {difference:E2}");
    }

    [Fact]
    public void Backbone_equals_ResNet18_onnx()
    {
        using var input = fixture.Preprocessing.call(fixture.Images);                      // (4, 3, 224, 224)
        using var reference = new OnnxRuntimeReference(DnnImageModelFiles.DefaultResNet18Path);
        using var expected = reference.Run(input);                                         // (4, 512, 1, 1)
        using var noGrad = no_grad();
        using var actual = fixture.Backbone.call(input);                                   // (4, 512)

        Assert.Equal(new long[] { 4, 512, 1, 1 }, expected.shape);
        using var flat = expected.flatten(1);
        var difference = TestImages.MaxAbsDifference(flat, actual);
        output.WriteLine($"backbone: max |TorchSharp − ONNX Runtime| = {difference:E2} over 4 images × 512 features (features up to {flat.max().item<float>():F2})");
        for (var i = 0; i < 4; i++)
        {
            output.WriteLine($"  image {i}: {TestImages.MaxAbsDifference(flat[i], actual[i]):E2}");
        }
        Assert.True(difference < Tolerance, $"max abs difference {difference:E2}");
        // Not a vacuous match: the four images give clearly different features.
        Assert.True(TestImages.MaxAbsDifference(actual[0], actual[3]) > 0.1);
    }
}
