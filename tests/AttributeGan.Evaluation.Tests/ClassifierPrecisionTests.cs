using System.IO;
using System.Linq;
using AttributeGan.Evaluation.Classifier;
using AttributeGan.Runtime;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests;

/// <summary>
/// The float64 classifier: the judge whose training CPUs of other instruction sets repeat to ≈ 1e-12, so evaluations
/// made on different machines are read by one judge (a float32 one differs between AVX2 and AVX-512 machines).
/// </summary>
[Collection(TinyDataCollection.Name)]
public class ClassifierPrecisionTests(TinyData tiny)
{
    private static readonly ClassifierTrainOptions Float64 = new(Epochs: 1, Batch: 64, HoldoutFraction: 0.25, Seed: 6,
        Degradation: new ImageDegradation(Probability: 0.5), Precision: ScalarType.Float64);

    [Fact]
    public void A_float64_classifier_records_its_precision_keeps_float64_weights_and_reloads_to_the_same_answers()
    {
        using var directory = new TempDirectory();
        using var wide = ClassifierTrainer.Train(tiny.Data, StandIns.Backbone, Float64, CPU);
        using var narrow = ClassifierTrainer.Train(tiny.Data, StandIns.Backbone, Float64 with { Precision = ScalarType.Float32 }, CPU);
        Assert.Equal("float64", wide.Metadata.Training.Precision);
        Assert.Equal("float32", narrow.Metadata.Training.Precision);

        string wideFile = directory.File("float64.bin"), narrowFile = directory.File("float32.bin");
        wide.Save(wideFile);
        narrow.Save(narrowFile);
        // Both files hold the same parameters after a header of a few hundred bytes: eight bytes a value against four.
        double ratio = (double)new FileInfo(wideFile).Length / new FileInfo(narrowFile).Length;
        Assert.InRange(ratio, 1.8, 2.0);

        using var loaded = AttributeClassifier.Load(wideFile, CPU, StandIns.Find);
        Assert.Equal(ScalarType.Float64, loaded.Metadata.Training.WeightType);
        using var images = EvaluationImages.FromDataSet(tiny.Data, Enumerable.Range(0, 40).ToArray());   // float32 pixels, cast by the network
        Assert.Equal(wide.Predict(images), loaded.Predict(images));
        var answers = loaded.HeldOutAnswers(tiny.Data);
        Assert.NotNull(answers);
        Assert.Equal(loaded.Metadata.HeldOut.Attributes.Select(a => a.Error), answers.Errors());
    }

    [Fact]
    public void Files_without_a_precision_hold_float32_and_other_types_are_refused_naming_the_setting()
    {
        Assert.Equal(ScalarType.Float32, new ClassifierTrainingSettings(1, 32, 0.25, 3, 1e-3, 48).WeightType);
        Assert.Equal(ScalarType.Float64, new ClassifierTrainingSettings(1, 32, 0.25, 3, 1e-3, 48, Precision: "float64").WeightType);
        var unknown = Assert.Throws<EvaluationException>(() => new ClassifierTrainingSettings(1, 32, 0.25, 3, 1e-3, 48, Precision: "bfloat16").WeightType);
        Assert.Contains("'bfloat16'", unknown.Message);

        var half = Assert.Throws<InvalidSettingException>(new ClassifierTrainOptions(Precision: ScalarType.Float16).Validate);
        Assert.Equal("Precision", half.Property);
        Assert.Contains("float32 or float64", half.Message);
    }
}
