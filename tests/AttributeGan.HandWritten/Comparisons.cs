using System;
using AttributeGan.Benchmarks;
using AttributeGan.Models;
using AttributeGan.Runtime.Training;
using AttributeGan.Runtime.Numerics;
using static TorchSharp.torch;

namespace AttributeGan.HandWritten;

/// <summary>One row of the comparison table: what was compared, the alternating result, and how to read it.</summary>
public sealed record Comparison(string Name, string Note, AlternatingResult Result);

/// <summary>The in-process comparisons of the benchmark: generated vs hand-written, and each optimisation before vs after.</summary>
public static class Comparisons
{
    /// <summary>A training bench on the hand-written networks, starting from <paramref name="generated"/>'s exact weights.</summary>
    public static TrainingBench Twin(TrainingBench generated, HandWrittenOps ops)
    {
        var twin = new TrainingBench(new HandWrittenSpec(ops), generated.BatchSize);
        WeightCopy.Copy(generated.State.Generator, twin.State.Generator);
        WeightCopy.Copy(generated.State.Discriminator, twin.State.Discriminator);
        twin.State.Ema.Reset();
        return twin;
    }

    /// <summary>One forward pass of the EMA generator without gradients, as sampling runs it.</summary>
    public static void Sample(TrainingBench bench)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ema = bench.State.Ema.Generator;
        ema.eval();
        ema.call(randn(new long[] { bench.BatchSize, bench.Spec.LatentSize }, generator: new TorchSharp.torch.Generator(3)), bench.Batch.Attributes);
    }

    /// <summary>
    /// The generator step alone (G forward, D forward with the contrastive head, losses, backward), with D's parameters
    /// frozen or not: <see cref="GanStep"/> freezes them; before, D's weight gradients were computed and thrown away.
    /// </summary>
    public static Action GeneratorStep(TrainingBench bench, bool freezeDiscriminator)
    {
        var state = bench.State;
        var heads = bench.Spec.Heads;
        var noise = randn(new long[] { bench.BatchSize, bench.Spec.LatentSize }, generator: new TorchSharp.torch.Generator(4)).DetachFromDisposeScope(); // (B, latent)
        return () =>
        {
            using var scope = NewDisposeScope();
            using var frozen = freezeDiscriminator ? FrozenParameters.Of(state.Discriminator) : null;
            var generated = state.Generator.call(noise, bench.Batch.Attributes);                              // (B, C, R, R)
            var judged = state.Discriminator.call(generated, bench.Batch.Attributes, new DiscriminatorHeads(Contrastive: true));
            var loss = AdversarialLosses.Generator(judged.Logits)
                       + ConditionalContrastiveLoss.Compute(judged.Embedding!, judged.AttributeEmbedding!, bench.Batch.Labels, heads.ContrastiveTemperature);
            loss.backward();
            state.Generator.zero_grad();
            state.Discriminator.zero_grad();
        };
    }

    /// <summary>Runs <paramref name="action"/> with libtorch set to <paramref name="threads"/> intra-op threads, restoring the count after.</summary>
    public static Action WithThreads(int threads, Action action) => () => AttributeGan.Models.Numerics.IntraOpThreads.With(threads, () =>
    {
        action();
        return 0;
    });

    /// <summary>Runs <paramref name="action"/> with libtorch's oneDNN kernels switched off (what --numerics-fallback does), then on again.</summary>
    public static Action WithoutOneDnn(Action action) => () =>
    {
        LibTorchNative.SetOneDnnEnabled(false);
        try
        {
            action();
        }
        finally
        {
            LibTorchNative.SetOneDnnEnabled(true);
        }
    };
}
