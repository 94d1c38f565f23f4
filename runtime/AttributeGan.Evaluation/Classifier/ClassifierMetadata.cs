using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.IO;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>One attribute the classifier predicts: its name and ordered level names (its head has one class per level).</summary>
public sealed record ClassifierAttribute(string Name, IReadOnlyList<string> Levels);

/// <summary>How well the classifier predicts one attribute on held-out real images.</summary>
/// <param name="Accuracy">Fraction of images whose argmax level is the table's level.</param>
/// <param name="Error">The paper's attribute error on these images (the Table 1 floor).</param>
public sealed record AttributeScore(string Attribute, double Accuracy, double Error);

/// <summary>Held-out results: how many real images were held out and the score per attribute (layout order).</summary>
public sealed record ClassifierMetrics(int Images, IReadOnlyList<AttributeScore> Attributes);

/// <summary>
/// How the classifier was trained (reproducible from these and the data). <paramref name="Precision"/> is the weights'
/// type, "float32" or "float64" (files written before it existed hold float32 weights and read it as null).
/// </summary>
public sealed record ClassifierTrainingSettings(int Epochs, int Batch, double HoldoutFraction, int Seed, double LearningRate, int TrainImages,
    ImageDegradation? Degradation = null, string? Precision = null)
{
    /// <summary>The precisions a classifier can have, by name (the file's and the command line's spelling).</summary>
    public static IReadOnlyList<string> PrecisionNames { get; } = new[] { "float32", "float64" };

    /// <summary>The name of a precision the trainer accepts (float32 or float64), read from the same table as <see cref="PrecisionType"/>.</summary>
    public static string PrecisionName(ScalarType precision) => PrecisionNames.First(name => PrecisionType(name) == precision);

    /// <summary>The type a precision name stands for; null (files written before the setting existed) is float32.</summary>
    public static ScalarType? PrecisionType(string? name) => name switch
    {
        null or "float32" => ScalarType.Float32,
        "float64" => ScalarType.Float64,
        _ => null,
    };

    /// <summary>The weights' type this file's network must have before its weights are read.</summary>
    public ScalarType WeightType => PrecisionType(Precision)
        ?? throw new EvaluationException($"The classifier's precision '{Precision}' is neither float32 nor float64; train the classifier again.");
}

/// <summary>
/// Everything a classifier file says about itself besides its weights: the attributes it predicts, the backbone,
/// the resolution of the images it was trained on (real images are loaded at it, generated ones must have it),
/// where the data came from, how it was trained and its held-out metrics.
/// </summary>
public sealed record ClassifierMetadata(
    int FormatVersion,
    string Backbone,
    int FeatureSize,
    int Resolution,
    IReadOnlyList<ClassifierAttribute> Attributes,
    string Data,
    ClassifierTrainingSettings Training,
    ClassifierMetrics HeldOut,
    DateTime CreatedUtc) : IFramedFileHeader
{
    /// <summary>
    /// Refuses attributes (names or levels) or a resolution other than the classifier's, naming both and the fix.
    /// Needs only the metadata, so a mismatch is found before any network is loaded.
    /// </summary>
    /// <param name="what">What is checked, for the message, e.g. "the run runs/a (AttributeGan64)".</param>
    public void RequireCompatible(AttributeLayout layout, int resolution, string what)
    {
        var own = Layout();
        if (!SameAttributes(own, layout))
            throw new EvaluationException(
                $"The classifier predicts {Describe(own)}, but {what} has {Describe(layout)}; " +
                $"train a classifier on data with {what}'s attributes ('attributegan classifier train').");
        if (resolution != Resolution)
            throw new EvaluationException(
                $"The classifier was trained on {Resolution}×{Resolution} images, but {what} has {resolution}×{resolution} images; " +
                $"train a classifier at {resolution}×{resolution} (--model with that resolution) so real and generated images reach it the same way.");
    }

    public AttributeLayout Layout() => new(Attributes.Select(a => new AttributeDefinition(a.Name, a.Levels.ToArray())).ToArray());

    public static IReadOnlyList<ClassifierAttribute> AttributesOf(AttributeLayout layout) =>
        layout.Attributes.Select(a => new ClassifierAttribute(a.Name, a.Levels.ToArray())).ToArray();

    /// <summary>"cell_crowding [normal, mild, severe], mitosis [rare, frequent]": for messages that compare layouts.</summary>
    public static string Describe(AttributeLayout layout) =>
        string.Join(", ", layout.Attributes.Select(a => $"{a.Name} [{string.Join(", ", a.Levels)}]"));

    /// <summary>Same attributes, in the same order, with the same level names in the same order (names case-insensitive, like the table).</summary>
    public static bool SameAttributes(AttributeLayout a, AttributeLayout b) =>
        a.Count == b.Count && a.Attributes.Zip(b.Attributes).All(p =>
            string.Equals(p.First.Name, p.Second.Name, StringComparison.OrdinalIgnoreCase) &&
            p.First.Levels.Count == p.Second.Levels.Count &&
            p.First.Levels.Zip(p.Second.Levels).All(l => string.Equals(l.First, l.Second, StringComparison.OrdinalIgnoreCase)));
}
