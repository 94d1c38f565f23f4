using System;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation;

/// <summary>
/// A pretrained network that maps images to the feature vectors a Fréchet distance compares.
/// <see cref="MetricName"/> is what every report calls the resulting distance: "FD-ResNet18" for the ImageNet
/// ResNet-18, "FID" only for the standard Inception-V3 FID weights.
/// </summary>
public interface IFeatureExtractor : IDisposable
{
    /// <summary>The distance's name in reports, e.g. "FD-ResNet18" or "FID".</summary>
    string MetricName { get; }

    /// <summary>Feature width D.</summary>
    int Dimensions { get; }

    /// <summary>
    /// Features of a batch of RGB images with values in [0, 1] at any resolution (the extractor resizes and
    /// normalises as its weights expect): (B, 3, H, W) → (B, D) float32 on the images' device, no gradient.
    /// </summary>
    Tensor Features(Tensor images);
}
