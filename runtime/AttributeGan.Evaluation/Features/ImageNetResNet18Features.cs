using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// Pooled features of the ImageNet ResNet-18 of Microsoft.ML.DnnImageFeaturizer.ResNet18: images → resize to 224 →
/// BGR minus the mean image → (B, 512). The Fréchet distance between such features is reported as "FD-ResNet18",
/// never as FID (FID means the Inception-V3 network of <see cref="FidInceptionFeatures"/>).
/// </summary>
public sealed class ImageNetResNet18Features : IFeatureExtractor
{
    private readonly ResNetPreprocessing preprocessing;
    private readonly ResNet18Backbone backbone;
    private readonly int batchSize;
    private Device device = CPU;

    /// <summary>Takes ownership of both modules; images go through the network <paramref name="batchSize"/> at a time.</summary>
    public ImageNetResNet18Features(ResNetPreprocessing preprocessing, ResNet18Backbone backbone, int batchSize = 32)
    {
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        }
        this.preprocessing = preprocessing;
        this.backbone = backbone;
        this.batchSize = batchSize;
        backbone.eval();
    }

    public string MetricName => "FD-ResNet18";

    public int Dimensions => ResNet18Backbone.FeatureWidth;

    /// <summary>The extractor with the package's ONNX files (by default the copies next to the assemblies).</summary>
    public static ImageNetResNet18Features Load(string? resNet18Path = null, string? preprocessPath = null, int batchSize = 32)
    {
        var preprocessing = ResNetPreprocessing.Load(preprocessPath);
        try
        {
            return new ImageNetResNet18Features(preprocessing, ResNet18Backbone.LoadImageNet(resNet18Path), batchSize);
        }
        catch
        {
            preprocessing.Dispose();
            throw;
        }
    }

    public Tensor Features(Tensor images)
    {
        ImageBatch.CheckRgb01(images, nameof(ImageNetResNet18Features));
        if (images.device.type != device.type || images.device.index != device.index)
        {
            backbone.to(images.device);
            device = images.device;
        }
        // Evaluation mode every time: batch norm must use the ImageNet running statistics, not the batch's.
        backbone.eval();
        using var noGrad = no_grad();
        return ImageBatch.InSlices(images, batchSize, slice =>
            backbone.call(preprocessing.call(slice.to(ScalarType.Float32))));          // (b, 3, H, W) → (b, 3, 224, 224) → (b, 512)
    }

    public void Dispose()
    {
        backbone.Dispose();
        preprocessing.Dispose();
    }
}
