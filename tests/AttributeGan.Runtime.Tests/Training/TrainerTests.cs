using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.Training;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

/// <summary>End-to-end training of the tiny spec: determinism, exact resume, refusals and recovery.</summary>
public sealed class TrainerTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "attributegan-trainer-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    private static TrainOptions Options(int steps) => TrainOptions.FromSpec(TinySpec.Instance) with
    {
        Steps = steps,
        CheckpointEvery = 3,
        SampleEvery = 0,
        SyntheticCount = 64,
        KeepCheckpoints = 5,
    };

    private GanTrainingState Train(string name, int steps, ITrainingObserver? observer = null) =>
        new Trainer(TinySpec.Instance, Options(steps), new RunDirectory(Path.Combine(root, name)), observer).Run();

    [Fact]
    public void Two_runs_with_the_same_seed_give_bit_identical_weights()
    {
        using var first = Train("a", 4);
        using var second = Train("b", 4);
        AssertIdentical(first, second);
        Assert.Equal(4, first.Step);
    }

    [Fact]
    public void Stopping_and_resuming_equals_training_without_a_break()
    {
        using var straight = Train("straight", 6);
        using (var half = Train("resumed", 3)) Assert.Equal(3, half.Step);
        using var resumed = Train("resumed", 6);

        AssertIdentical(straight, resumed);
        var losses = File.ReadAllLines(Path.Combine(root, "resumed", "losses.csv"));
        Assert.Equal(7, losses.Length); // header + one row per step, none repeated
        // images/s and memory vary between runs; every other column must not.
        var varying = new[] { "images_per_second", "resident_mb" }.Select(name => Array.IndexOf(losses[0].Split(','), name)).ToHashSet();
        Assert.DoesNotContain(-1, varying);
        string WithoutSpeed(string row) => string.Join(',', row.Split(',').Where((_, column) => !varying.Contains(column)));
        Assert.Equal(File.ReadAllLines(Path.Combine(root, "straight", "losses.csv")).Select(WithoutSpeed), losses.Select(WithoutSpeed));
    }

    [Fact]
    public void A_BigGAN_spec_trains_moves_every_weight_and_resumes_exactly()
    {
        // BigGan64 (residual blocks, conditional batch norm, spectral norm in both networks, one pooled logit) through the
        // same trainer: the spectral norms' vectors and the conditional norms' statistics are state a resume must restore.
        var options = TrainOptions.FromSpec(BigGan64Spec.Instance) with { Batch = 4, CheckpointEvery = 1, SampleEvery = 0, SyntheticCount = 16, KeepCheckpoints = 5 };
        GanTrainingState Run(string name, int steps) => new Trainer(BigGan64Spec.Instance, options with { Steps = steps }, new RunDirectory(Path.Combine(root, name))).Run();

        using var straight = Run("biggan-straight", 3);
        Dictionary<string, Tensor> before;
        using (var half = Run("biggan-resumed", 1))
        {
            Assert.Equal(1, half.Step);
            before = half.Snapshot().ToDictionary(p => p.Name, p => p.Value.clone());
        }
        using var resumed = Run("biggan-resumed", 3);

        AssertIdentical(straight, resumed);
        // Between step 1 and step 3 every trained weight moved (a block left out of the graph or the optimiser would not).
        var unchanged = straight.Snapshot().Where(p => p.Name.Contains(".weight", StringComparison.Ordinal) && !p.Name.EndsWith("weight_u", StringComparison.Ordinal)
            && p.Value.eq(before[p.Name]).all().item<bool>()).Select(p => p.Name).ToList();
        Assert.True(unchanged.Count == 0, "weights training left unchanged: " + string.Join(", ", unchanged));
    }

    [Fact]
    public void A_spec_with_the_attribute_classifier_trains_it_logs_both_terms_and_resumes_exactly()
    {
        // Tiny plus the auxiliary classifier (tests' Specs/tiny-classifier.yaml): the D step trains the head on real
        // images, the G step sends its cross-entropy on the fakes into the generator.
        var spec = AttributeGan.Runtime.Tests.Specs.TinyClassifierSpec.Instance;
        Assert.Equal(1.0, spec.Losses.ClassificationDiscriminator);
        Assert.Equal(0.5, spec.Losses.ClassificationGenerator);
        Assert.Equal(4, spec.Heads.ClassifierResolution);
        var options = TrainOptions.FromSpec(spec) with { CheckpointEvery = 1, SampleEvery = 0, SyntheticCount = 64, KeepCheckpoints = 5 };
        GanTrainingState Run(string name, int steps) => new Trainer(spec, options with { Steps = steps }, new RunDirectory(Path.Combine(root, name))).Run();

        using var straight = Run("classifier-straight", 3);
        Dictionary<string, Tensor> before;
        using (var half = Run("classifier-resumed", 1)) before = half.Snapshot().ToDictionary(p => p.Name, p => p.Value.clone());
        using var resumed = Run("classifier-resumed", 3);
        AssertIdentical(straight, resumed);

        var head = straight.Snapshot().Where(p => p.Name.Contains("classifier", StringComparison.Ordinal) && !p.Name.EndsWith("weight_u", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(head);
        Assert.All(head, p => Assert.False(p.Value.eq(before[p.Name]).all().item<bool>(), p.Name + " did not move"));

        // Both terms are logged, near the uniform guess's cross-entropy (mean over the attributes of log k) this early.
        double uniform = (Math.Log(3) + Math.Log(2)) / 2;
        foreach (var column in new[] { "d_classification", "g_classification" })
        {
            var values = LossTable.Series(Path.Combine(root, "classifier-straight", "losses.csv"), column);
            Assert.Equal(3, values.Count);
            Assert.All(values, v => Assert.InRange(v.Value, 0.3 * uniform, 3 * uniform));
        }
    }

    [Fact]
    public void A_damaged_newest_checkpoint_falls_back_to_the_one_before()
    {
        using (Train("damaged", 6))
        {
        }

        var run = new RunDirectory(Path.Combine(root, "damaged"));
        var newest = run.Checkpoints().Last().Path;
        var bytes = File.ReadAllBytes(newest);
        File.WriteAllBytes(newest, bytes.AsSpan(0, bytes.Length / 2).ToArray()); // as if the disk lost its tail

        var messages = new RecordingObserver();
        using var state = Train("damaged", 6, messages);
        Assert.Equal(3, messages.Start!.FirstStep);
        Assert.Contains(messages.Messages, m => m.Contains("step-00000006.ckpt", StringComparison.Ordinal) && m.Contains("damaged", StringComparison.Ordinal));
        Assert.Equal(6, state.Step);
    }

    [Fact]
    public void A_run_directory_refuses_another_spec_and_other_settings_naming_both()
    {
        using (Train("owned", 3))
        {
        }

        var directory = new RunDirectory(Path.Combine(root, "owned"));
        var other = Assert.Throws<CheckpointException>(() =>
            new Trainer(AttributeGan64Spec.Instance, TrainOptions.FromSpec(AttributeGan64Spec.Instance) with { Steps = 1 }, directory).Run());
        Assert.Contains("'Tiny'", other.Message);
        Assert.Contains("'AttributeGan64'", other.Message);

        var changed = Assert.Throws<CheckpointException>(() => new Trainer(TinySpec.Instance, Options(3) with { Seed = 99 }, directory).Run());
        Assert.Contains("seed=99", changed.Message);
        Assert.Contains("seed=7", changed.Message);
    }

    [Fact]
    public void A_checkpoint_of_another_spec_is_refused_naming_both()
    {
        using (Train("tiny", 3))
        {
        }

        var checkpoint = new RunDirectory(Path.Combine(root, "tiny")).Checkpoints().Last().Path;
        using var state = new GanTrainingState(AttributeGan64Spec.Instance, CPU, seed: 0);
        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(checkpoint, state));
        Assert.Contains("holds 'Tiny'", error.Message);
        Assert.Contains("not 'AttributeGan64'", error.Message);
    }

    [Fact]
    public void A_non_finite_loss_stops_training_naming_step_and_loss()
    {
        using var state = new GanTrainingState(TinySpec.Instance, CPU, seed: 1);
        var data = DataSet.Synthetic(TinySpec.Instance, 32, seed: 1);
        using var loader = new BatchLoader(data, 8, seed: 1, AugmentationOptions.None);
        using var batch = loader.Next();
        using var poisoned = batch with { Images = full_like(batch.Images, double.NaN) };
        var error = Assert.Throws<TrainingDivergedException>(() => new GanStep(state, seed: 1).Run(poisoned));
        Assert.Equal(1, error.Step);
        Assert.Contains("step 1", error.Message);
    }

    [Fact]
    public void Trained_runs_load_for_sampling_with_their_spec()
    {
        using (Train("sampled", 3))
        {
        }

        using var trained = TrainedRun.Load(Path.Combine(root, "sampled"), SpecCatalog.Shipped, CPU);
        Assert.Same(TinySpec.Instance, trained.Spec);
        Assert.Equal(3, trained.State.Step);
        Assert.EndsWith("step-00000003.ckpt", trained.Checkpoint);
        Assert.True(File.Exists(Path.Combine(root, "sampled", "samples", "final-cell_crowding.png")));
        Assert.True(File.Exists(Path.Combine(root, "sampled", "loss-curve.png")));
        Assert.True(File.Exists(Path.Combine(root, "sampled", "README.txt")));
    }

    [Fact]
    public void A_kept_earlier_checkpoint_loads_by_its_step_and_a_missing_one_names_those_kept()
    {
        using (Train("curve", 6))
        {
        }

        var run = Path.Combine(root, "curve");
        using var newest = TrainedRun.Load(run, SpecCatalog.Shipped, CPU);
        using var earlier = TrainedRun.Load(run, SpecCatalog.Shipped, CPU, step: 3);
        Assert.Equal(6, newest.State.Step);
        Assert.Equal(3, earlier.State.Step);
        Assert.EndsWith("step-00000003.ckpt", earlier.Checkpoint);
        var (early, late) = (earlier.State.Snapshot()[0].Value, newest.State.Snapshot()[0].Value);
        Assert.False(early.eq(late).all().item<bool>(), "step 3's checkpoint loaded the weights of step 6");

        var missing = Assert.Throws<CheckpointException>(() => TrainedRun.Load(run, SpecCatalog.Shipped, CPU, step: 4));
        Assert.Contains("no checkpoint of step 4", missing.Message);
        Assert.Contains("keeps steps: 3, 6", missing.Message);
    }

    private static void AssertIdentical(GanTrainingState expected, GanTrainingState actual)
    {
        var left = expected.Snapshot();
        var right = actual.Snapshot();
        Assert.Equal(left.Select(p => p.Name), right.Select(p => p.Name));
        for (int i = 0; i < left.Length; i++)
            Assert.True(left[i].Value.shape.SequenceEqual(right[i].Value.shape) && left[i].Value.eq(right[i].Value).all().item<bool>(), $"{left[i].Name} differs");
    }

    private sealed class RecordingObserver : ITrainingObserver
    {
        public TrainingStart? Start { get; private set; }

        public List<string> Messages { get; } = new();

        public void Started(TrainingStart start) => Start = start;

        public void Stepped(StepReport report)
        {
        }

        public void Saved(string what, string path)
        {
        }

        public void Message(string text) => Messages.Add(text);
    }
}
