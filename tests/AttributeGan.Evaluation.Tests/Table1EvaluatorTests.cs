using System;
using System.IO;
using System.Linq;
using AttributeGan.Evaluation.Classifier;
using AttributeGan.Evaluation.Reporting;
using AttributeGan.Models.Specs;
using AttributeGan.Models;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Training;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests;

[Collection(TinyDataCollection.Name)]
public sealed class Table1EvaluatorTests(TinyData tiny) : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    private string TrainTiny(string name, int steps)
    {
        string run = Path.Combine(directory.Path, name);
        var options = TrainOptions.FromSpec(TinySpec.Instance) with { Steps = steps, SyntheticCount = 32, SampleEvery = 0, CheckpointEvery = steps };
        new Trainer(TinySpec.Instance, options, new RunDirectory(run), SilentObserver.Instance).Run().Dispose();
        return run;
    }

    private (AttributeClassifier Classifier, string File) Classifier()
    {
        var classifier = ClassifierTrainer.Train(tiny.Data, StandIns.Backbone, new ClassifierTrainOptions(Epochs: 1, Batch: 64, Seed: 2), CPU);
        string file = Path.Combine(directory.Path, "classifier.bin");
        classifier.Save(file);
        return (classifier, file);
    }

    [Fact]
    public void The_same_seed_gives_the_same_table_and_another_seed_another()
    {
        var runs = new[] { TrainTiny("a", 2), TrainTiny("b", 4) };
        var (classifier, file) = Classifier();
        using var _ = classifier;
        using var features = new QuadrantFeatures();
        var stages = new System.Collections.Generic.List<EvaluationProgress>();

        Table1 Evaluate(int seed) => Table1Evaluator.Evaluate(runs, SpecCatalog.Shipped, tiny.Folder, classifier, file, features, new EvaluationOptions(Samples: 20, Seed: seed, Batch: 8), CPU, stages.Add);
        var first = Evaluate(5);
        var again = Evaluate(5);
        var other = Evaluate(6);

        Assert.True(first.SameContent(again));
        Assert.Equal(Table1Json.Write(first), Table1Json.Write(again));
        Assert.False(first.SameContent(other));

        Assert.Equal("FD-Test", first.DistanceName);
        Assert.Equal(new[] { "Real images", "Real vs real (halves)", "Best constant answer", "Tiny (a)", "Tiny (b)" }, first.Rows.Select(r => r.Name));
        Assert.Null(first.Rows[0].Distance);
        Assert.Null(first.Rows[0].Diversity);
        Assert.Null(first.Rows[0].LayoutDiversity);
        Assert.Equal(classifier.Metadata.HeldOut.Attributes.Select(a => a.Error), first.Rows[0].Errors);
        // What the classifier answered on its held-out images, found again in the data: the recorded errors follow from it.
        var heldOut = Assert.IsAssignableFrom<System.Collections.Generic.IReadOnlyList<AttributeGan.Evaluation.Metrics.ConfusionMatrix>>(first.Rows[0].Confusions);
        Assert.All(heldOut, m => Assert.Equal(classifier.Metadata.HeldOut.Images, m.Total));
        Assert.Equal(first.Rows[0].Errors, heldOut.Select(m => m.Error()), new Tolerance(1e-12));
        Assert.Equal(classifier.Metadata.HeldOut.Attributes.Select(a => a.Accuracy), heldOut.Select(m => m.Accuracy()), new Tolerance(1e-12));
        // The floor: two halves of the real images, as varied as each other, with no classifier judgment.
        var halves = first.Rows[1];
        Assert.True(halves.Distance > 0);
        Assert.InRange(halves.Diversity!.Value, 0.5, 2.0);
        Assert.InRange(halves.LayoutDiversity!.Value, 0.5, 2.0);
        Assert.All(halves.Errors, e => Assert.True(double.IsNaN(e)));
        Assert.InRange(halves.Images, tiny.Data.Count / 2 - 2, tiny.Data.Count / 2 + 2);
        // The attribute baseline: one answer per attribute for the same 20 requests the runs get; no distance or diversity.
        var constant = first.Rows[2];
        Assert.Null(constant.Distance);
        Assert.Null(constant.Diversity);
        Assert.Null(constant.LayoutDiversity);
        Assert.Equal(20, constant.Images);
        Assert.All(constant.Errors, e => Assert.InRange(e, 0, 0.5)); // never above answering level 0 or the last level
        Assert.Equal(constant.Errors, constant.Confusions!.Select(m => m.Error()), new Tolerance(1e-12));
        Assert.All(constant.Confusions!, m => Assert.Equal(1.0, m.MostPredicted().Share));   // one column: the constant answer
        Assert.Null(halves.Confusions);
        Assert.All(first.Rows.Skip(3), row =>
        {
            Assert.True(row.Distance > 0, $"{row.Name}: distance {row.Distance}");
            Assert.True(row.Diversity is > 0, $"{row.Name}: diversity {row.Diversity}");
            Assert.True(row.LayoutDiversity is > 0, $"{row.Name}: layout diversity {row.LayoutDiversity}");
            Assert.Matches("^[0-9a-f]{16}$", row.SpecHash);                   // the run's spec, so combine can tell recipes apart
            Assert.All(row.Errors, e => Assert.InRange(e, 0, 1));
            Assert.Equal(20, row.Images);
            // Every generated image counted once per attribute, at its requested level; the error is recomputable from the counts.
            Assert.Equal(first.Attributes, row.Confusions!.Select(m => m.Attribute));
            Assert.All(row.Confusions!, m => Assert.Equal(20, m.Total));
            Assert.Equal(row.Errors, row.Confusions!.Select(m => m.Error()), new Tolerance(1e-12));
        });
        Assert.Equal(tiny.Data.Count, first.Settings.RealImages);
        // Progress: the real images once per evaluation, then every run to its last image.
        Assert.Contains(stages, s => s.Stage == "real images" && s.Done == tiny.Data.Count);
        Assert.Contains(stages, s => s.Stage == "Tiny (b)" && s.Done == 20 && s.Total == 20);
    }

    /// <summary>Doubles equal within an absolute tolerance (the same sums in another order).</summary>
    private sealed class Tolerance(double within) : System.Collections.Generic.IEqualityComparer<double>
    {
        public bool Equals(double x, double y) => Math.Abs(x - y) <= within;

        public int GetHashCode(double value) => 0;
    }

    [Fact]
    public void Mismatches_and_too_few_samples_are_refused_before_generating()
    {
        var run = TrainTiny("r", 1);
        var (classifier, file) = Classifier();
        using var _ = classifier;
        using var features = new QuadrantFeatures();

        var few = Assert.Throws<EvaluationException>(() =>
            Table1Evaluator.Evaluate(new[] { run }, SpecCatalog.Shipped, tiny.Folder, classifier, file, features, new EvaluationOptions(Samples: 1), CPU));
        Assert.Contains("EvaluationOptions.Samples must be at least 2", few.Message);

        var missing = Assert.Throws<EvaluationException>(() =>
            Table1Evaluator.Evaluate(new[] { Path.Combine(directory.Path, "nope") }, SpecCatalog.Shipped, tiny.Folder, classifier, file, features, new EvaluationOptions(Samples: 4), CPU));
        Assert.Contains("is not a run directory", missing.Message);

        var unkept = Assert.Throws<CheckpointException>(() =>
            Table1Evaluator.Evaluate(new[] { run }, SpecCatalog.Shipped, tiny.Folder, classifier, file, features, new EvaluationOptions(Samples: 4, Step: 5), CPU));
        Assert.Contains("no checkpoint of step 5 (it keeps steps: 1)", unkept.Message);

        // A run of another spec: the 64×64 model with five attributes (its manifest alone is enough to refuse it).
        string other = Path.Combine(directory.Path, "other");
        Directory.CreateDirectory(other);
        RunManifest.For(AttributeGan64Spec.Instance, TrainOptions.FromSpec(AttributeGan64Spec.Instance), new[] { 0, 0, 0, 0, 0 }).Write(Path.Combine(other, "run.json"));
        var wrong = Assert.Throws<EvaluationException>(() =>
            Table1Evaluator.Evaluate(new[] { run, other }, SpecCatalog.Shipped, tiny.Folder, classifier, file, features, new EvaluationOptions(Samples: 4), CPU));
        Assert.Contains("cell_crowding [normal, mild, severe], mitosis [rare, frequent]", wrong.Message);
        Assert.Contains("pleomorphism", wrong.Message);
        Assert.Contains("AttributeGan64", wrong.Message);
    }

    [Fact]
    public void A_float64_classifier_reads_in_float64_and_the_table_says_so()
    {
        var run = TrainTiny("w", 1);
        using var features = new QuadrantFeatures();
        using var wide = ClassifierTrainer.Train(tiny.Data, StandIns.Backbone, new ClassifierTrainOptions(Epochs: 1, Batch: 64, Seed: 2, Precision: ScalarType.Float64), CPU);
        string file = Path.Combine(directory.Path, "float64.bin");
        wide.Save(file);

        var table = Table1Evaluator.Evaluate(new[] { run }, SpecCatalog.Shipped, tiny.Folder, wide, file, features, new EvaluationOptions(Samples: 8, Seed: 1, Batch: 4), CPU);
        Assert.EndsWith(", float64 weights)", table.Settings.Classifier);
        Assert.Equal(wide.Metadata.HeldOut.Attributes.Select(a => a.Error), table.Rows[0].Errors);   // the held-out answers found again in float64
        var (narrow, narrowFile) = Classifier();
        using var _ = narrow;
        Assert.DoesNotContain("float64", Table1Evaluator.Evaluate(new[] { run }, SpecCatalog.Shipped, tiny.Folder, narrow, narrowFile, features,
            new EvaluationOptions(Samples: 8, Seed: 1, Batch: 4), CPU).Settings.Classifier);
    }
}
