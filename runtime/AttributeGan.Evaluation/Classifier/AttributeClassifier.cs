using System;
using System.Linq;
using AttributeGan.Evaluation.Metrics;
using AttributeGan.Models;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// Predicts the level of every attribute of an image: a fine-tuned backbone with one linear head per attribute
/// (the paper's ImageNet ResNet-18 fine-tuned on the real images). Trained by <see cref="ClassifierTrainer"/>; saved
/// as one <see cref="FramedFileFormat{THeader}"/> file (magic, JSON metadata, weights, end marker) written atomically.
/// </summary>
public sealed class AttributeClassifier : IDisposable
{
    public const int FormatVersion = 1;
    private static readonly ClassifierFormat Format = new();

    private readonly AttributeClassifierNetwork network;

    internal AttributeClassifier(AttributeClassifierNetwork network, ClassifierBackbone backbone, ClassifierMetadata metadata, Device device)
    {
        this.network = network;
        Backbone = backbone;
        Metadata = metadata;
        Layout = metadata.Layout();
        Device = device;
    }

    public ClassifierBackbone Backbone { get; }

    public ClassifierMetadata Metadata { get; }

    public AttributeLayout Layout { get; }

    /// <summary>Side of the images it was trained on; images to classify must have it.</summary>
    public int Resolution => Metadata.Resolution;

    public Device Device { get; }

    /// <summary>
    /// Level per attribute (argmax of each head) of each image: (B, 3, R, R) RGB in [0, 1] on any device →
    /// B arrays of one level per attribute. Runs in eval mode without gradients.
    /// </summary>
    public int[][] Predict(Tensor images)
    {
        RequireImages(images);
        return PredictLevels(network, Layout, images, Device);
    }

    /// <summary>
    /// The classifier's answers on its held-out images of <paramref name="data"/> again (the split its metadata's fraction
    /// and seed give, classified as when it was scored), so that a report can show what it answered and not only its
    /// error; null when they do not reproduce the held-out scores its file records (other data, or other images kept),
    /// since those are then not the images it was measured on.
    /// </summary>
    public AttributeErrorAccumulator? HeldOutAnswers(DataSet data)
    {
        RequireCompatible(data.Layout, data.Resolution, $"the data {data.Origin}");
        var recorded = Metadata.HeldOut;
        if (data.Count < 2) return null;
        var split = HoldoutSplit.Create(data.Samples.Select(s => s.Levels).ToArray(), Metadata.Training.HoldoutFraction, Metadata.Training.Seed);
        if (split.HeldOut.Count != recorded.Images) return null;
        var answers = ClassifierTrainer.Answers(data, split.HeldOut, Predict);
        var (errors, accuracies) = (answers.Errors(), answers.Accuracies());
        // The same images and weights give the same sums in the same order, so the scores match exactly; a
        // tolerance only absorbs the last bit of a float written to JSON and read back.
        bool same = recorded.Attributes.Select((score, a) =>
            Math.Abs(score.Error - errors[a]) <= 1e-12 && Math.Abs(score.Accuracy - accuracies[a]) <= 1e-12).All(x => x);
        return same ? answers : null;
    }

    /// <summary>Refuses attributes (names or levels) or a resolution other than this classifier's, naming both and the fix.</summary>
    public void RequireCompatible(AttributeLayout layout, int resolution, string what) => Metadata.RequireCompatible(layout, resolution, what);

    public void Save(string path) => Format.Write(path, Metadata, writer => network.save(writer));

    /// <summary>Reads only the metadata of a classifier file (no weights, no backbone).</summary>
    public static ClassifierMetadata ReadMetadata(string path) => Format.ReadHeader(path);

    /// <summary>
    /// Loads a classifier file onto <paramref name="device"/>. <paramref name="backbones"/> finds the backbone the
    /// file names (default <see cref="ClassifierBackbones.Find"/>).
    /// </summary>
    public static AttributeClassifier Load(string path, Device device, Func<string, ClassifierBackbone?>? backbones = null) =>
        Format.Read(path, metadata =>
        {
            var backbone = (backbones ?? ClassifierBackbones.Find)(metadata.Backbone)
                           ?? throw new EvaluationException($"{path} was trained with the backbone '{metadata.Backbone}', which this build does not have " +
                                                            $"(known: {string.Join(", ", ClassifierBackbones.Names)}); retrain the classifier.");
            if (backbone.FeatureSize != metadata.FeatureSize)
                throw new EvaluationException($"{path} has {metadata.FeatureSize}-d '{metadata.Backbone}' features, but this build's backbone gives {backbone.FeatureSize}; retrain the classifier.");
            var precision = metadata.Training.WeightType;
            var network = new AttributeClassifierNetwork(backbone.Create(pretrained: false), backbone.FeatureSize, metadata.Layout());
            network.to(precision);                                                   // the file's weights are read into tensors of their own type
            return new AttributeClassifier(network, backbone, metadata, device);
        }, (classifier, reader) =>
        {
            classifier.network.load(reader);
            classifier.network.to(device);
            classifier.network.eval();
        });

    public void Dispose() => network.Dispose();

    /// <summary>Argmax level per attribute, shared by <see cref="Predict"/> and the trainer's held-out evaluation.</summary>
    internal static int[][] PredictLevels(AttributeClassifierNetwork network, AttributeLayout layout, Tensor images, Device device)
    {
        bool wasTraining = network.training;
        network.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var logits = network.call(images.to(device));                              // (B, Σ k_a)
            var levels = new long[layout.Count][];
            for (int a = 0; a < layout.Count; a++)
                levels[a] = logits.narrow(1, layout.Offset(a), layout.Attributes[a].Levels.Count)
                    .argmax(1).cpu().data<long>().ToArray();                           // (B,) level of attribute a
            int batch = (int)images.shape[0];
            return Enumerable.Range(0, batch).Select(i => levels.Select(l => (int)l[i]).ToArray()).ToArray();
        }
        finally
        {
            network.train(wasTraining);
        }
    }

    private void RequireImages(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
            throw new ArgumentException($"Expected RGB images (B, 3, H, W), got ({string.Join(", ", images.shape)}).", nameof(images));
        if (images.shape[2] != Resolution || images.shape[3] != Resolution)
            throw new ArgumentException($"The classifier was trained on {Resolution}×{Resolution} images, got {images.shape[3]}×{images.shape[2]}.", nameof(images));
    }

    /// <summary>The classifier file's magic number and version, and its errors, each naming the fix.</summary>
    private sealed class ClassifierFormat() : FramedFileFormat<ClassifierMetadata>("AGANCLSF", AttributeClassifier.FormatVersion)
    {
        protected override Exception CannotOpen(string path, Exception cause) =>
            new EvaluationException($"Cannot open the classifier file {path}: {cause.Message}. Train one with 'attributegan classifier train --data DIR --out FILE'.", cause);

        protected override Exception WrongMagic(string path) =>
            new EvaluationException($"{path} is not an attribute classifier file; pass the --out file of 'attributegan classifier train'.");

        protected override Exception EmptyHeader(string path) => new EvaluationException($"{path} has an empty header; train the classifier again.");

        protected override Exception UnsupportedVersion(string path, int version) =>
            new EvaluationException($"{path} has classifier format {version}; this version reads format {FormatVersion}. Train the classifier again.");

        protected override Exception DamagedHeader(string path, Exception cause) => DamagedBody(path, cause);

        protected override Exception DamagedBody(string path, Exception cause) =>
            new EvaluationException($"{path} is damaged or incomplete ({cause.Message}); train the classifier again.", cause);
    }
}
