using System;
using AttributeGan.Evaluation.Features;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Features;

/// <summary>
/// The ImageNet ResNet-18 feature extractor loaded once for every test class in its collection (reading the 63.6 MB
/// ONNX file takes seconds), with the fixed test images at 224×224: three of seeded noise and one structured.
/// </summary>
public sealed class ImageNetResNet18Fixture : IDisposable
{
    public ImageNetResNet18Fixture()
    {
        Preprocessing = ResNetPreprocessing.Load();
        Backbone = ResNet18Backbone.LoadImageNet();
        Extractor = new ImageNetResNet18Features(Preprocessing, Backbone, batchSize: 2);
        using var noise = TestImages.Noise(3, 224, seed: 2024);
        using var structured = TestImages.Structured(224);
        Images = cat(new[] { noise, structured }, 0);
    }

    /// <summary>Owned by <see cref="Extractor"/>.</summary>
    public ResNetPreprocessing Preprocessing { get; }

    /// <summary>Owned by <see cref="Extractor"/>; tests must leave it in evaluation mode and unchanged.</summary>
    public ResNet18Backbone Backbone { get; }

    /// <summary>Slices of 2 images, so that a batch of 4 or 5 goes through in several slices.</summary>
    public ImageNetResNet18Features Extractor { get; }

    /// <summary>(4, 3, 224, 224) RGB in [0, 1].</summary>
    public Tensor Images { get; }

    public void Dispose()
    {
        Images.Dispose();
        Extractor.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ImageNetResNet18Collection : ICollectionFixture<ImageNetResNet18Fixture>
{
    public const string Name = "ImageNet ResNet-18";
}
