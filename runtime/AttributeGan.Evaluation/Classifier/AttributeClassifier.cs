using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AttributeGan.Models;
using AttributeGan.Runtime.IO;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// Predicts the level of every attribute of an image: a fine-tuned backbone with one linear head per attribute
/// (the paper's ImageNet ResNet-18 fine-tuned on the real images). Trained by <see cref="ClassifierTrainer"/>; saved
/// as one file (magic, JSON metadata, weights, end marker) written atomically.
/// </summary>
public sealed class AttributeClassifier : IDisposable
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("AGANCLSF");
    private static readonly byte[] EndMarker = Encoding.ASCII.GetBytes("AGAN-END");
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

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

    /// <summary>Refuses attributes (names or levels) or a resolution other than this classifier's, naming both and the fix.</summary>
    public void RequireCompatible(AttributeLayout layout, int resolution, string what) => Metadata.RequireCompatible(layout, resolution, what);

    public void Save(string path) => AtomicFile.Write(path, stream =>
    {
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(JsonSerializer.Serialize(Metadata, Json));
        network.save(writer);
        writer.Write(EndMarker);
        writer.Flush();
    });

    /// <summary>Reads only the metadata of a classifier file (no weights, no backbone).</summary>
    public static ClassifierMetadata ReadMetadata(string path)
    {
        using var stream = OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return ReadMetadata(reader, path);
    }

    /// <summary>
    /// Loads a classifier file onto <paramref name="device"/>. <paramref name="backbones"/> finds the backbone the
    /// file names (default <see cref="ClassifierBackbones.Find"/>).
    /// </summary>
    public static AttributeClassifier Load(string path, Device device, Func<string, ClassifierBackbone?>? backbones = null)
    {
        using var stream = OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var metadata = ReadMetadata(reader, path);
        var backbone = (backbones ?? ClassifierBackbones.Find)(metadata.Backbone)
                       ?? throw new EvaluationException($"{path} was trained with the backbone '{metadata.Backbone}', which this build does not have " +
                                                        $"(known: {string.Join(", ", ClassifierBackbones.Names)}); retrain the classifier.");
        if (backbone.FeatureSize != metadata.FeatureSize)
            throw new EvaluationException($"{path} has {metadata.FeatureSize}-d '{metadata.Backbone}' features, but this build's backbone gives {backbone.FeatureSize}; retrain the classifier.");

        var network = new AttributeClassifierNetwork(backbone.Create(pretrained: false), backbone.FeatureSize, metadata.Layout());
        try
        {
            network.load(reader);
            var end = reader.ReadBytes(EndMarker.Length);
            if (!end.AsSpan().SequenceEqual(EndMarker)) throw new EndOfStreamException("the end marker is missing");
            network.to(device);
            network.eval();
            return new AttributeClassifier(network, backbone, metadata, device);
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            network.Dispose();
            throw new EvaluationException($"{path} is damaged or incomplete ({e.Message}); train the classifier again.", e);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

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

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new EvaluationException($"Cannot open the classifier file {path}: {e.Message}. Train one with 'attributegan classifier train --data DIR --out FILE'.", e);
        }
    }

    private static ClassifierMetadata ReadMetadata(BinaryReader reader, string path)
    {
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic))
                throw new EvaluationException($"{path} is not an attribute classifier file; pass the --out file of 'attributegan classifier train'.");
            var metadata = JsonSerializer.Deserialize<ClassifierMetadata>(reader.ReadString(), Json)
                           ?? throw new EvaluationException($"{path} has an empty header; train the classifier again.");
            if (metadata.FormatVersion != FormatVersion)
                throw new EvaluationException($"{path} has classifier format {metadata.FormatVersion}; this version reads format {FormatVersion}. Train the classifier again.");
            return metadata;
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException)
        {
            throw new EvaluationException($"{path} is damaged or incomplete ({e.Message}); train the classifier again.", e);
        }
    }
}
