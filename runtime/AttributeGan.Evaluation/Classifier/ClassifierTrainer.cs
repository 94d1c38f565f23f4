using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AttributeGan.Evaluation.Metrics;
using AttributeGan.Models;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// Fine-tuning settings. <paramref name="LearningRate"/> null takes the backbone's default; <paramref name="Degradation"/>
/// null trains on the images as they are. <paramref name="Precision"/> float64 trains and runs the classifier in double
/// precision, from the pixels on. Forcing AVX2 on an AVX-512 CPU then trains the same weights to the last bit, where
/// two float32 classifiers of the same data and seed differ in 99 % of their weights (and so do Table 1's attribute
/// errors). It is several times slower: libtorch's float64 convolutions do not go through oneDNN.
/// </summary>
public sealed record ClassifierTrainOptions(int Epochs = 5, int Batch = 32, double HoldoutFraction = 0.2, int Seed = 0, double? LearningRate = null,
    ImageDegradation? Degradation = null, ScalarType Precision = ScalarType.Float32)
{
    /// <summary>Checks what a user can get wrong; the message names the setting and the fix.</summary>
    /// <exception cref="InvalidSettingException">A setting is out of range.</exception>
    public void Validate()
    {
        if (Epochs < 1) throw Invalid(nameof(Epochs), $"must be at least 1, got {Epochs}.");
        if (Batch < 2) throw Invalid(nameof(Batch), $"must be at least 2 (batch norm needs two images), got {Batch}.");
        if (!(HoldoutFraction > 0 && HoldoutFraction < 1)) throw Invalid(nameof(HoldoutFraction), $"must be between 0 and 1 (exclusive), e.g. 0.2; got {HoldoutFraction}.");
        if (LearningRate is { } lr && !(lr > 0 && double.IsFinite(lr))) throw Invalid(nameof(LearningRate), $"must be positive, got {lr}.");
        Degradation?.Validate();
        if (Precision is not (ScalarType.Float32 or ScalarType.Float64)) throw Invalid(nameof(Precision), $"must be float32 or float64, got {Precision}.");
    }

    private static InvalidSettingException Invalid(string property, string problem) => new(typeof(ClassifierTrainOptions), property, problem);
}

/// <summary>Where fine-tuning is: after each step, and once more (<see cref="Evaluating"/>) while the held-out images are scored.</summary>
public sealed record ClassifierProgress(int Epoch, int Epochs, int Step, int TotalSteps, double Loss, bool Evaluating = false);

/// <summary>
/// Fine-tunes a backbone with one linear head per attribute on real images: a seeded, stratified held-out split;
/// Adam on every parameter with the summed cross-entropy of the heads; then the held-out accuracy and attribute
/// error per attribute. Deterministic for a seed on the CPU. Each step runs in its own dispose scope, so memory
/// stays flat however long it trains.
/// </summary>
public static class ClassifierTrainer
{
    private const long EpochStream = 0xC1A55, DegradationStream = 0xDE6;
    private const int EvaluationBatch = 32;

    public static AttributeClassifier Train(DataSet data, ClassifierBackbone backbone, ClassifierTrainOptions options, Device device,
        Action<ClassifierProgress>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        var layout = data.Layout;
        var split = HoldoutSplit.Create(data.Samples.Select(s => s.Levels).ToArray(), options.HoldoutFraction, options.Seed);
        double learningRate = options.LearningRate ?? backbone.LearningRate;

        torch.manual_seed(options.Seed);                         // the heads' (and a scratch backbone's) initial weights
        var network = new AttributeClassifierNetwork(backbone.Create(pretrained: true), backbone.FeatureSize, layout);
        try
        {
            network.to(options.Precision).to(device);
            network.train();
            int perEpoch = (split.Train.Count + options.Batch - 1) / options.Batch;
            int totalSteps = options.Epochs * perEpoch;
            using (var optimizer = new Runtime.Training.ScalarSafe.Adam(network.parameters(), learningRate))   // TorchSharp's Adam, Scalars held
            {
                for (int epoch = 1; epoch <= options.Epochs; epoch++)
                {
                    var order = split.Train.ToArray();
                    new SeededRandom(SeededRandom.Mix(options.Seed, EpochStream, epoch)).Shuffle(order);
                    for (int b = 0; b < perEpoch; b++)
                    {
                        cancellation.ThrowIfCancellationRequested();
                        var degrade = options.Degradation is null ? null : new SeededRandom(SeededRandom.Mix(options.Seed, DegradationStream, epoch, b));
                        double loss = Step(network, optimizer, data, Slice(order, b, perEpoch), device, options.Degradation, degrade);
                        if (!double.IsFinite(loss))
                            throw new EvaluationException($"The classifier's loss became {loss} in epoch {epoch}, step {b + 1}; lower the learning rate or check the images.");
                        progress?.Invoke(new ClassifierProgress(epoch, options.Epochs, (epoch - 1) * perEpoch + b + 1, totalSteps, loss));
                    }
                }
            }

            progress?.Invoke(new ClassifierProgress(options.Epochs, options.Epochs, totalSteps, totalSteps, double.NaN, Evaluating: true));
            var heldOut = Score(network, data, split.HeldOut, device);
            var metadata = new ClassifierMetadata(AttributeClassifier.FormatVersion, backbone.Name, backbone.FeatureSize, data.Resolution,
                ClassifierMetadata.AttributesOf(layout), data.Origin,
                new ClassifierTrainingSettings(options.Epochs, options.Batch, options.HoldoutFraction, options.Seed, learningRate, split.Train.Count, options.Degradation,
                    ClassifierTrainingSettings.PrecisionName(options.Precision)),
                heldOut, DateTime.UtcNow);
            network.eval();
            return new AttributeClassifier(network, backbone, metadata, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Batch <paramref name="index"/> of <paramref name="count"/> near-equal slices (sizes differ by at most one), so
    /// no batch is a lone image that batch norm cannot normalise.
    /// </summary>
    internal static int[] Slice(int[] order, int index, int count)
    {
        int start = (int)((long)order.Length * index / count), end = (int)((long)order.Length * (index + 1) / count);
        return order[start..end];
    }

    private static double Step(AttributeClassifierNetwork network, optim.Optimizer optimizer, DataSet data, int[] batch, Device device,
        ImageDegradation? degradation, SeededRandom? random)
    {
        using var scope = NewDisposeScope();
        var layout = data.Layout;
        var images = EvaluationImages.FromDataSet(data, batch).to(network.Precision, device);      // (B, 3, R, R) in [0, 1]
        if (degradation is not null) images = degradation.Apply(images, random!);                  // (B, 3, R, R) in [0, 1]
        var logits = network.call(images);                                                           // (B, Σ k_a)
        Tensor? loss = null;
        for (int a = 0; a < layout.Count; a++)
        {
            var target = tensor(batch.Select(i => (long)data.Samples[i].Levels[a]).ToArray(), device: device);   // (B,)
            var head = logits.narrow(1, layout.Offset(a), layout.Attributes[a].Levels.Count);                    // (B, k_a)
            var term = nn.functional.cross_entropy(head, target);
            loss = loss is null ? term : loss.add(term, Scalars.One);
        }
        optimizer.zero_grad();
        loss!.backward();
        optimizer.step();
        return loss.to(ScalarType.Float64).item<double>();                             // float32 or float64
    }

    /// <summary>
    /// The predicted and table levels of the images <paramref name="indices"/>, in batches of a fixed size: a classifier
    /// loaded from its file gives the held-out answers of its training bit for bit when it batches them the same way.
    /// </summary>
    internal static AttributeErrorAccumulator Answers(DataSet data, IReadOnlyList<int> indices, Func<Tensor, int[][]> predict)
    {
        var scores = new AttributeErrorAccumulator(data.Layout);
        for (int start = 0; start < indices.Count; start += EvaluationBatch)
        {
            var batch = indices.Skip(start).Take(EvaluationBatch).ToArray();
            using var images = EvaluationImages.FromDataSet(data, batch);                             // (b, 3, R, R) in [0, 1]
            var predicted = predict(images);
            for (int i = 0; i < batch.Length; i++) scores.Add(predicted[i], data.Samples[batch[i]].Levels);
        }
        return scores;
    }

    /// <summary>Accuracy and attribute error per attribute on <paramref name="indices"/>, in eval mode.</summary>
    internal static ClassifierMetrics Score(AttributeClassifierNetwork network, DataSet data, IReadOnlyList<int> indices, Device device)
    {
        var layout = data.Layout;
        var scores = Answers(data, indices, images => AttributeClassifier.PredictLevels(network, layout, images, device));
        var accuracy = scores.Accuracies();
        var error = scores.Errors();
        return new ClassifierMetrics(indices.Count, layout.Attributes.Select((a, i) => new AttributeScore(a.Name, accuracy[i], error[i])).ToArray());
    }
}
