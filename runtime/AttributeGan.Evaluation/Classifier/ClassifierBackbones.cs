using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>The backbones a classifier file can name, by <see cref="ClassifierBackbone.Name"/>.</summary>
public static class ClassifierBackbones
{
    /// <summary>The paper's backbone: ResNet-18 with ImageNet weights, images resized to 224×224.</summary>
    public const string DefaultName = "resnet18-imagenet";

    private static readonly Lazy<IReadOnlyList<ClassifierBackbone>> Known = new(() => Array.Empty<ClassifierBackbone>());

    public static IReadOnlyList<string> Names => Known.Value.Select(b => b.Name).ToArray();

    public static ClassifierBackbone? Find(string name) =>
        Known.Value.FirstOrDefault(b => string.Equals(b.Name, name, StringComparison.OrdinalIgnoreCase));
}
