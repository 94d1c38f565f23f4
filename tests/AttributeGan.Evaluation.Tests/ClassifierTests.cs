using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AttributeGan.Evaluation.Classifier;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests;

[Collection(TinyDataCollection.Name)]
public class ClassifierTests(TinyData tiny)
{
    private static readonly ClassifierTrainOptions Options = new(Epochs: 6, Batch: 32, HoldoutFraction: 0.25, Seed: 3);

    [Fact]
    public void Training_on_degraded_images_changes_the_weights_and_the_file_records_the_degradation()
    {
        using var directory = new TempDirectory();
        var plain = new ClassifierTrainOptions(Epochs: 1, Batch: 64, Seed: 4);
        var degradation = new ImageDegradation(Probability: 1, MaxBlurSigma: 1, MaxNoiseSigma: 0.1);
        using var clean = ClassifierTrainer.Train(tiny.Data, StandIns.Backbone, plain, CPU);
        using var degraded = ClassifierTrainer.Train(tiny.Data, StandIns.Backbone, plain with { Degradation = degradation }, CPU);
        Assert.Null(clean.Metadata.Training.Degradation);
        Assert.Equal(degradation, degraded.Metadata.Training.Degradation);

        // The degraded images reached the network: the same seed and batches end in other weights (the files end with
        // the weights; the heads come last).
        string file = directory.File("degraded.bin"), cleanFile = directory.File("clean.bin");
        degraded.Save(file);
        clean.Save(cleanFile);
        Assert.NotEqual(File.ReadAllBytes(cleanFile)[^2048..], File.ReadAllBytes(file)[^2048..]);
        using var loaded = AttributeClassifier.Load(file, CPU, StandIns.Find);
        Assert.Equal(degradation, loaded.Metadata.Training.Degradation);
    }

    [Fact]
    public void A_trained_classifier_predicts_the_visible_attribute_well_above_chance_and_survives_save_and_load()
    {
        using var directory = new TempDirectory();
        var data = tiny.Data;
        using var classifier = ClassifierTrainer.Train(data, StandIns.Backbone, Options, CPU);

        var crowding = classifier.Metadata.HeldOut.Attributes[0];
        Assert.Equal("cell_crowding", crowding.Attribute);
        Assert.Equal((int)Math.Round(0.25 * data.Count), classifier.Metadata.HeldOut.Images);
        // Three levels: chance is at most the majority share (about one half in this skewed set); crowding (cell
        // density) is plainly visible, so a classifier that learned anything clears 0.75.
        Assert.True(crowding.Accuracy > 0.75, $"held-out crowding accuracy {crowding.Accuracy:F3}");
        Assert.True(crowding.Error < 0.1, $"held-out crowding error {crowding.Error:F3}");

        string file = directory.File("classifier.bin");
        classifier.Save(file);
        // The bytes on disk, read by hand so files of earlier versions keep loading: magic, metadata JSON, weights, end marker.
        using (var reader = new BinaryReader(File.OpenRead(file), Encoding.UTF8))
        {
            Assert.Equal("AGANCLSF", Encoding.ASCII.GetString(reader.ReadBytes(8)));
            Assert.Equal(JsonSerializer.Serialize(classifier.Metadata), reader.ReadString());
        }
        Assert.Equal("AGAN-END", Encoding.ASCII.GetString(File.ReadAllBytes(file)[^8..]));
        using var loaded = AttributeClassifier.Load(file, CPU, StandIns.Find);

        Assert.Equal(JsonSerializer.Serialize(classifier.Metadata), JsonSerializer.Serialize(loaded.Metadata));
        Assert.Equal(new[] { "normal", "mild", "severe" }, loaded.Metadata.Attributes[0].Levels);
        Assert.Equal(classifier.Metadata.HeldOut.Attributes, loaded.Metadata.HeldOut.Attributes);
        Assert.Equal(classifier.Metadata.Training, loaded.Metadata.Training);
        Assert.Equal(16, loaded.Resolution);

        using var images = EvaluationImages.FromDataSet(data, Enumerable.Range(0, 40).ToArray());
        Assert.Equal(classifier.Predict(images), loaded.Predict(images));

        // The loaded file finds its held-out images in the data again and answers them as when it was scored.
        var answers = loaded.HeldOutAnswers(data);
        Assert.NotNull(answers);
        Assert.Equal(classifier.Metadata.HeldOut.Images, answers.Count);
        Assert.Equal(loaded.Metadata.HeldOut.Attributes.Select(a => a.Error), answers.Errors());
        Assert.Equal(loaded.Metadata.HeldOut.Attributes.Select(a => a.Accuracy), answers.Confusions().Select(m => m.Accuracy()));
        // Other images with the same attributes are not the ones it was measured on.
        using var other = new TempDirectory();
        SyntheticDataSet.Write(TinySpec.Instance.Attributes, other.Path, TinyData.Count, 16, seed: 12);
        Assert.Null(loaded.HeldOutAnswers(DataSet.Load(other.Path, TinySpec.Instance)));
    }

    [Fact]
    public void Training_is_deterministic_for_a_seed_and_memory_stays_flat()
    {
        var data = tiny.Data;
        var options = new ClassifierTrainOptions(Epochs: 3, Batch: 64, HoldoutFraction: 0.25, Seed: 9);
        var live = new System.Collections.Generic.List<long>();
        using var first = ClassifierTrainer.Train(data, StandIns.Backbone, options, CPU,
            p => { if (!p.Evaluating) live.Add(DisposeScopeManager.Statistics.ThreadTotalLiveCount); });
        using var second = ClassifierTrainer.Train(data, StandIns.Backbone, options, CPU);

        Assert.Equal(first.Metadata.HeldOut, second.Metadata.HeldOut with { Attributes = first.Metadata.HeldOut.Attributes });
        Assert.Equal(first.Metadata.HeldOut.Attributes, second.Metadata.HeldOut.Attributes);
        // Step 1 creates the gradients and Adam's moments; from then on every step must free what it made.
        Assert.Equal(3 * (int)Math.Ceiling(first.Metadata.Training.TrainImages / 64.0), live.Count);
        Assert.All(live.Skip(2), count => Assert.Equal(live[1], count));
    }

    [Fact]
    public void Evaluation_errors_are_user_input_errors() => Assert.True(typeof(EvaluationException).IsSubclassOf(typeof(UserInputException)));

    [Fact]
    public void Out_of_range_settings_are_refused_naming_the_options_property()
    {
        new ClassifierTrainOptions().Validate();
        var epochs = Assert.Throws<InvalidSettingException>(new ClassifierTrainOptions(Epochs: 0).Validate);
        Assert.Equal("ClassifierTrainOptions.Epochs must be at least 1, got 0.", epochs.Message);
        Assert.Equal("--epochs must be at least 1, got 0.", epochs.MessageFor("--epochs"));
        Assert.Equal("ClassifierTrainOptions.HoldoutFraction must be between 0 and 1 (exclusive), e.g. 0.2; got 1.",
            Assert.Throws<InvalidSettingException>(new ClassifierTrainOptions(HoldoutFraction: 1).Validate).Message);
        Assert.Equal("ClassifierTrainOptions.LearningRate must be positive, got -1.",
            Assert.Throws<InvalidSettingException>(new ClassifierTrainOptions(LearningRate: -1).Validate).Message);
    }

    [Fact]
    public void Metadata_written_by_hand_reads_and_a_wrong_header_is_refused_as_before()
    {
        using var directory = new TempDirectory();
        var metadata = new ClassifierMetadata(1, "test-cnn", 24, 16, new[] { new ClassifierAttribute("cell_crowding", new[] { "normal", "mild", "severe" }) },
            "tiny", new ClassifierTrainingSettings(1, 32, 0.25, 3, 1e-3, 48), new ClassifierMetrics(16, new[] { new AttributeScore("cell_crowding", 0.9, 0.05) }),
            new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        string WriteHeader(string name, string magic, string json)
        {
            string path = directory.File(name);
            using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
            writer.Write(Encoding.ASCII.GetBytes(magic));
            writer.Write(json);
            return path;
        }

        var read = AttributeClassifier.ReadMetadata(WriteHeader("good.bin", "AGANCLSF", JsonSerializer.Serialize(metadata)));
        Assert.Equal(JsonSerializer.Serialize(metadata), JsonSerializer.Serialize(read));

        var newer = Assert.Throws<EvaluationException>(() =>
            AttributeClassifier.ReadMetadata(WriteHeader("newer.bin", "AGANCLSF", JsonSerializer.Serialize(metadata with { FormatVersion = 2 }))));
        Assert.EndsWith("has classifier format 2; this version reads format 1. Train the classifier again.", newer.Message);
        var checkpoint = Assert.Throws<EvaluationException>(() => AttributeClassifier.ReadMetadata(WriteHeader("run.ckpt", "AGANCKPT", JsonSerializer.Serialize(metadata))));
        Assert.EndsWith("is not an attribute classifier file; pass the --out file of 'attributegan classifier train'.", checkpoint.Message);
        var empty = Assert.Throws<EvaluationException>(() => AttributeClassifier.ReadMetadata(WriteHeader("empty.bin", "AGANCLSF", "null")));
        Assert.EndsWith("has an empty header; train the classifier again.", empty.Message);
        var cut = Assert.Throws<EvaluationException>(() => AttributeClassifier.ReadMetadata(WriteHeader("cut.bin", "AGANCLSF", "{\"FormatVersion\":")));
        Assert.Contains("is damaged or incomplete", cut.Message);
    }

    [Fact]
    public void Loading_refuses_other_files_and_checks_attributes_and_resolution()
    {
        using var directory = new TempDirectory();
        string junk = directory.File("junk.bin");
        File.WriteAllText(junk, "not a classifier");
        var notClassifier = Assert.Throws<EvaluationException>(() => AttributeClassifier.Load(junk, CPU, StandIns.Find));
        Assert.Contains("is not an attribute classifier file", notClassifier.Message);
        var missing = Assert.Throws<EvaluationException>(() => AttributeClassifier.Load(directory.File("none.bin"), CPU, StandIns.Find));
        Assert.Contains("classifier train", missing.Message);

        using var classifier = ClassifierTrainer.Train(tiny.Data, StandIns.Backbone, new ClassifierTrainOptions(Epochs: 1, Batch: 64, Seed: 1), CPU);
        string file = directory.File("classifier.bin");
        classifier.Save(file);

        // A cut file (a crash mid-write cannot leave one, but a bad copy can) is damaged, not silently half-loaded.
        var bytes = File.ReadAllBytes(file);
        string cut = directory.File("cut.bin");
        File.WriteAllBytes(cut, bytes[..(bytes.Length / 2)]);
        Assert.Contains("damaged or incomplete", Assert.Throws<EvaluationException>(() => AttributeClassifier.Load(cut, CPU, StandIns.Find)).Message);
        Assert.Contains("'test-cnn'", Assert.Throws<EvaluationException>(() => AttributeClassifier.Load(file, CPU, _ => null)).Message);

        var fiveAttributes = AttributeGan64Spec.Instance.Attributes;
        var wrong = Assert.Throws<EvaluationException>(() => classifier.RequireCompatible(fiveAttributes, 16, "the run 'AttributeGan64'"));
        Assert.Contains("cell_crowding [normal, mild, severe], mitosis [rare, frequent]", wrong.Message);
        Assert.Contains("cell_polarity", wrong.Message);
        Assert.Contains("the run 'AttributeGan64'", wrong.Message);
        var size = Assert.Throws<EvaluationException>(() => classifier.RequireCompatible(TinySpec.Instance.Attributes, 64, "the run"));
        Assert.Contains("16×16", size.Message);
        Assert.Contains("64×64", size.Message);
        classifier.RequireCompatible(new AttributeLayout(TinySpec.Instance.Attributes.Attributes.ToArray()), 16, "the same layout");
    }
}
