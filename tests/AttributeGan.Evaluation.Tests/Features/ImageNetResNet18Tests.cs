using System;
using System.IO;
using System.Linq;
using AttributeGan.Evaluation.Features;
using Onnx;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Features;

/// <summary>The ImageNet ResNet-18's extractor, training readiness, preprocessing choices and file errors.</summary>
[Collection(ImageNetResNet18Collection.Name)]
public class ImageNetResNet18Tests
{
    private readonly ImageNetResNet18Fixture fixture;

    public ImageNetResNet18Tests(ImageNetResNet18Fixture fixture) => this.fixture = fixture;

    [Fact]
    public void Features_are_512_wide_without_gradient_and_independent_of_the_slicing()
    {
        var extractor = fixture.Extractor;
        Assert.Equal("FD-ResNet18", extractor.MetricName);
        Assert.Equal(512, extractor.Dimensions);

        // 5 images at 96×96 go through in slices of 2, 2 and 1; each image alone must give the same features.
        using var images = TestImages.Noise(5, 96, seed: 31);
        using var features = extractor.Features(images);
        Assert.Equal(new long[] { 5, 512 }, features.shape);
        Assert.Equal(ScalarType.Float32, features.dtype);
        Assert.False(features.requires_grad);
        for (var i = 0; i < 5; i++)
        {
            using var one = images.narrow(0, i, 1);
            using var alone = extractor.Features(one);
            Assert.True(TestImages.MaxAbsDifference(alone[0], features[i]) < 1e-4, $"image {i}");
        }
        Assert.False(fixture.Backbone.training);

        // Other floating dtypes are accepted; the features stay float32.
        using var asDouble = images.narrow(0, 0, 1).to(ScalarType.Float64);
        using var fromDouble = extractor.Features(asDouble);
        Assert.Equal(ScalarType.Float32, fromDouble.dtype);
        Assert.True(TestImages.MaxAbsDifference(fromDouble[0], features[0]) < 1e-4);
    }

    [Fact]
    public void Images_outside_zero_one_or_without_three_channels_are_refused()
    {
        using var tanhRange = torch.rand(2, 3, 32, 32) * 2 - 1;
        var range = Assert.Throws<ArgumentException>(() => fixture.Extractor.Features(tanhRange));
        Assert.Contains("(x + 1) / 2", range.Message);

        using var gray = torch.rand(2, 1, 32, 32);
        Assert.Throws<ArgumentException>(() => fixture.Extractor.Features(gray));
    }

    [Fact]
    public void Every_weight_is_a_trainable_parameter_that_receives_a_gradient()
    {
        var backbone = fixture.Backbone;
        var parameters = backbone.named_parameters().ToArray();
        // ResNet18.onnx: 22 convolutions (1 stem, 2·2·2 + 2·3 in blocks, 3 shortcuts) without bias, 22 batch norms
        // with scale and bias; running means and variances are buffers.
        Assert.Equal(22 * 3, parameters.Length);
        Assert.All(parameters, p => Assert.True(p.parameter.requires_grad, p.name));
        Assert.Equal(22 * 2, backbone.named_buffers().Count(b => b.name.EndsWith("running_mean", StringComparison.Ordinal) || b.name.EndsWith("running_var", StringComparison.Ordinal)));

        try
        {
            using var two = fixture.Images.narrow(0, 0, 2);
            using var input = fixture.Preprocessing.call(two);                              // (2, 3, 224, 224)
            using var features = backbone.call(input);                                      // (2, 512)
            using var loss = features.pow(2).mean();
            loss.backward();
            foreach (var name in new[] { "conv1.weight", "layer4.2.bn2.weight", "layer2.0.downsample.0.weight" })
            {
                var parameter = parameters.Single(p => p.name == name).parameter;
                Assert.NotNull(parameter.grad);
                Assert.True(parameter.grad!.abs().max().item<float>() > 0, name);
            }
        }
        finally
        {
            backbone.zero_grad();
        }
    }

    [Fact]
    public void Shrinking_is_antialiased()
    {
        // A one-pixel checkerboard at 3 × 224: plain bilinear sampling hits pixel centres and keeps a checkerboard of
        // 0 and 1; the antialiased resize averages each 3×3 neighbourhood (weights 1/9, 2/9, 3/9, 2/9, 1/9 per axis) to
        // 1/2 ± 1/162.
        const int size = 3 * 224;
        using var rows = torch.arange(size).unsqueeze(1);
        using var columns = torch.arange(size).unsqueeze(0);
        using var checker = ((rows + columns) % 2).to(ScalarType.Float32).expand(1, 3, size, size).contiguous();
        using var gray = torch.full(new long[] { 1, 3, 224, 224 }, 127.5f);

        using var shrunk = fixture.Preprocessing.call(checker);
        using var flat = fixture.Preprocessing.FromPixels(gray);

        Assert.InRange(TestImages.MaxAbsDifference(shrunk, flat), 255.0 / 162 - 0.01, 255.0 / 162 + 0.01);
    }

    [Fact]
    public void The_preprocessing_constants_come_from_the_onnx_file()
    {
        Assert.Equal(new long[] { 2, 1, 0 }, fixture.Preprocessing.ChannelOrder);
        // An image equal to the mean image's own BGR values preprocesses to zero.
        var model = ModelProto.Parser.ParseFromFile(DnnImageModelFiles.DefaultPreprocessPath);
        var meanBgr = model.Graph.Initializer.Single(i => i.Name == "MeanImage").FloatData.ToArray();
        using var bgr = torch.tensor(meanBgr, new long[] { 1, 3, 224, 224 });
        using var rgb = bgr.flip(1);
        using var preprocessed = fixture.Preprocessing.FromPixels(rgb);
        Assert.Equal(0.0, preprocessed.abs().max().item<float>());
        Assert.InRange(meanBgr.Take(224 * 224).Average(), 90.0, 115.0);                      // blue, on the 0–255 scale
    }

    [Fact]
    public void Preprocessing_loaded_inside_a_dispose_scope_keeps_its_mean_image()
    {
        ResNetPreprocessing preprocessing;
        using (NewDisposeScope())
        {
            preprocessing = ResNetPreprocessing.Load();
        }
        using (preprocessing)
        {
            using var expected = fixture.Preprocessing.call(fixture.Images);
            using var actual = preprocessing.call(fixture.Images);
            Assert.Equal(0.0, TestImages.MaxAbsDifference(expected, actual));
        }
    }

    [Fact]
    public void A_network_file_that_another_reader_holds_open_still_loads()
    {
        // Two evaluations started together read the same ResNetPreprocess.onnx and ResNet18.onnx. A reader's shared
        // lock (what File.OpenRead takes on Linux) must not make the loader fail; a loader that opens the file
        // read-write asks for an exclusive lock and does ("being used by another process").
        using var otherReader = File.OpenRead(DnnImageModelFiles.DefaultPreprocessPath);
        using var preprocessing = ResNetPreprocessing.Load();
        Assert.Equal(new long[] { 2, 1, 0 }, preprocessing.ChannelOrder);
    }

    [Fact]
    public void Missing_damaged_and_foreign_onnx_files_are_refused_naming_the_file()
    {
        using var directory = new TemporaryDirectory();
        var missing = directory.File("ResNet18.onnx");
        var notFound = Assert.Throws<FileNotFoundException>(() => ResNet18Backbone.LoadImageNet(missing));
        Assert.Contains(missing, notFound.Message);

        var truncated = directory.File("truncated.onnx");
        using (var source = File.OpenRead(DnnImageModelFiles.DefaultResNet18Path))
        using (var target = File.Create(truncated))
        {
            var head = new byte[1 << 20];
            source.ReadExactly(head);
            target.Write(head);
        }
        var damaged = Assert.Throws<InvalidDataException>(() => ResNet18Backbone.LoadImageNet(truncated));
        Assert.Contains(truncated, damaged.Message);

        var foreign = Assert.Throws<InvalidDataException>(() => ResNet18Backbone.LoadImageNet(DnnImageModelFiles.DefaultPreprocessPath));
        Assert.Contains(DnnImageModelFiles.DefaultPreprocessPath, foreign.Message);
        Assert.Contains("0 convolutions", foreign.Message);

        var notPreprocessing = Assert.Throws<InvalidDataException>(() => ResNetPreprocessing.Load(DnnImageModelFiles.DefaultResNet18Path));
        Assert.Contains("Split, Concat, Sub", notPreprocessing.Message);
    }

    [Fact]
    public void A_graph_with_another_padding_is_refused_naming_the_convolution()
    {
        // The first strided 3×3 convolution of layer 2 pads [1, 1, 0, 0]; a graph padding it symmetrically is not the
        // layout the network implements, even though every weight has the right shape.
        using var directory = new TemporaryDirectory();
        var model = ModelProto.Parser.ParseFromFile(DnnImageModelFiles.DefaultResNet18Path);
        var conv = model.Graph.Node.Single(n => n.OpType == "Conv" && n.Output[0] == "Convolution285_Output_0");
        var pads = conv.Attribute.Single(a => a.Name == "pads");
        pads.Ints.Clear();
        pads.Ints.Add(new long[] { 1, 1, 1, 1 });
        var altered = directory.File("altered.onnx");
        model.WriteToFile(altered);

        var error = Assert.Throws<InvalidDataException>(() => ResNet18Backbone.LoadImageNet(altered));
        Assert.Contains("'Convolution285_Output_0'", error.Message);
        Assert.Contains("pads [1, 1, 1, 1]", error.Message);
    }
}
