using static TorchSharp.torch;

namespace AttributeGan.Evaluation;

/// <summary>The distance's feature network: FID's Inception-V3 when its weights are given, otherwise ImageNet ResNet-18 (FD-ResNet18).</summary>
public static class FeatureExtractors
{
    public static IFeatureExtractor Create(string? inceptionWeights, Device device) =>
        throw new EvaluationException("The feature networks are not merged into this build yet.");
}
