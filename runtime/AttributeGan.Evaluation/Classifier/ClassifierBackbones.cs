using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>The backbones a classifier file can name, by <see cref="ClassifierBackbone.Name"/>.</summary>
public static class ClassifierBackbones
{
    /// <summary>The paper's backbone: ResNet-18 with ImageNet weights, images resized to 224×224.</summary>
    public const string DefaultName = "resnet18-imagenet";

    /// <summary>
    /// ResNet-18 with the ImageNet weights of Microsoft.ML.DnnImageFeaturizer.ResNet18, images resized to 224×224 (the
    /// paper's classifier); Adam at 1e-4, a usual rate for fine-tuning a pretrained network.
    /// </summary>
    public static ClassifierBackbone ResNet18 { get; } = new(DefaultName, Features.ResNet18Backbone.FeatureWidth, ResNet18Network.Create, 1e-4,
        "ImageNet ResNet-18 (Microsoft.ML.DnnImageFeaturizer.ResNet18), images resized to 224×224");

    // Describing a backbone loads nothing: weights are read when a network is created.
    private static IReadOnlyList<ClassifierBackbone> Known => new[] { ResNet18 };

    public static IReadOnlyList<string> Names => Known.Select(b => b.Name).ToArray();

    public static ClassifierBackbone? Find(string name) =>
        Known.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
}
