using System;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// The feature network an <see cref="AttributeClassifier"/> fine-tunes, with what it expects of its input. The
/// classifier is this network plus one linear head per attribute; the name is stored in classifier files, so a
/// file can only be loaded with the backbone it was trained with.
/// </summary>
public sealed class ClassifierBackbone
{
    private readonly Func<bool, nn.Module<Tensor, Tensor>> create;

    /// <param name="name">Stored in classifier files and shown in reports, e.g. "resnet18-imagenet".</param>
    /// <param name="featureSize">Width F of the features the network returns.</param>
    /// <param name="create">
    /// Builds the network: (B, 3, H, W) RGB in [0, 1] → (B, F) features, its own input pipeline (resizing to the size
    /// its weights expect, normalisation) included, so that the pipeline is differentiable and fine-tuned images and
    /// classified images go through the same steps. With <c>true</c> it carries its pretrained weights (for
    /// fine-tuning); with <c>false</c> the weights may be anything, they are about to be overwritten from a classifier file.
    /// </param>
    /// <param name="learningRate">Adam's default learning rate for fine-tuning this network.</param>
    /// <param name="description">One line for reports: what the network is and where its weights come from.</param>
    public ClassifierBackbone(string name, int featureSize, Func<bool, nn.Module<Tensor, Tensor>> create, double learningRate, string description)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("A backbone needs a name (it is stored in classifier files).", nameof(name));
        if (featureSize < 1) throw new ArgumentOutOfRangeException(nameof(featureSize), featureSize, "The feature width must be positive.");
        if (!(learningRate > 0) || double.IsInfinity(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive and finite.");
        Name = name;
        FeatureSize = featureSize;
        this.create = create;
        LearningRate = learningRate;
        Description = description;
    }

    public string Name { get; }

    public int FeatureSize { get; }

    public double LearningRate { get; }

    public string Description { get; }

    public nn.Module<Tensor, Tensor> Create(bool pretrained) => create(pretrained);

    public override string ToString() => Name;
}
