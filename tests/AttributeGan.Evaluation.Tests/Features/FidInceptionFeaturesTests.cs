using System.IO;
using AttributeGan.Evaluation.Features;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Features;

public class FidInceptionFeaturesTests
{
    [Fact]
    public void Features_are_the_networks_pool_features_of_the_prepared_images_in_slices()
    {
        torch.manual_seed(41);
        var network = new FidInceptionV3();
        FidInceptionV3Tests.RandomiseBatchNorm(network, seed: 42);
        using var extractor = new FidInceptionFeatures(network, batchSize: 1);
        using var images = TestImages.Noise(2, 64, seed: 43);                              // resized up to 299

        using var features = extractor.Features(images);                                   // two slices of 1

        Assert.Equal("FID", extractor.MetricName);
        Assert.Equal(2048, extractor.Dimensions);
        Assert.Equal(new long[] { 2, 2048 }, features.shape);
        Assert.False(features.requires_grad);
        using var noGrad = no_grad();
        using var prepared = FidInceptionV3.PrepareInput(images);                         // (2, 3, 299, 299)
        using var direct = network.call(prepared);                                        // one batch of 2
        Assert.True(direct.abs().max().item<float>() > 0);
        Assert.True(TestImages.MaxAbsDifference(direct, features) < 1e-5 * direct.abs().max().item<float>());
    }

    [Fact]
    public void Loading_a_missing_weight_file_names_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "no-such-dir-7f3c", "pt_inception-2015-12-05-6726825d.pth");
        var error = Assert.Throws<FileNotFoundException>(() => FidInceptionFeatures.Load(path));
        Assert.Contains(path, error.Message);
    }
}
