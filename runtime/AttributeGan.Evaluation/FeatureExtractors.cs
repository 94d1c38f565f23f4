using AttributeGan.Evaluation.Features;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation;

/// <summary>
/// The distance's feature network: FID's Inception-V3 when its weights file is given, otherwise the ImageNet ResNet-18
/// (the report then calls the distance FD-ResNet18, never FID). Both follow the images to their device.
/// </summary>
public static class FeatureExtractors
{
    public static IFeatureExtractor Create(string? inceptionWeights) =>
        inceptionWeights is null ? ImageNetResNet18Features.Load() : FidInceptionFeatures.Load(inceptionWeights);
}
