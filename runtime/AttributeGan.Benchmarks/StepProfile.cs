using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>
/// One named layer of a network timed on its own, on the very inputs it sees in a training forward pass (batch B):
/// forward, forward without gradients, forward + backward, and forward + backward to the inputs only (weights frozen,
/// as the discriminator runs in the generator step); <see cref="PerStep"/> says how a training step runs it and
/// <see cref="StepMs"/> is its estimated share of the step.
/// </summary>
public sealed record LayerProfile(string Network, string Layer, string Kind, long MacsPerImage, double ForwardMs, double ForwardNoGradMs,
    double ForwardBackwardMs, double InputGradientMs, string PerStep, double StepMs, double Gflops);

/// <summary>
/// Where a training step's time goes, block by block. TorchSharp 0.107 has no autograd profiler and no backward hooks, so
/// each layer is re-run in isolation on inputs captured with forward pre-hooks; the sum over layers, weighted by how
/// often a step runs them, plus the optimisers and the EMA, is compared with the measured step ("rest" is losses,
/// dispatch between layers and what isolation misses).
/// </summary>
public sealed record ProfileResult(string Model, int Batch, double MeasuredStepMs, IReadOnlyList<LayerProfile> Layers,
    double GeneratorAdamMs, double DiscriminatorAdamMs, double EmaMs)
{
    public double LayersMs => Layers.Sum(l => l.StepMs);

    public double RestMs => MeasuredStepMs - LayersMs - GeneratorAdamMs - DiscriminatorAdamMs - EmaMs;
}

public static class StepProfile
{
    public static ProfileResult Run(TrainingBench bench, double measuredStepMs, int warmup, int repeats)
    {
        var spec = bench.Spec;
        var state = bench.State;
        var batch = bench.Batch;
        var flops = ModelFlops.Of(spec);
        var rows = new List<LayerProfile>();
        using var outer = NewDisposeScope();

        var noise = randn(new long[] { bench.BatchSize, spec.LatentSize }, generator: new torch.Generator(5));     // (B, latent)
        var notTrained = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { noise, batch.Attributes };
        state.Generator.train();
        state.Discriminator.train();
        var generatorInputs = Capture(state.Generator, () => state.Generator.call(noise, batch.Attributes));
        var discriminatorInputs = Capture(state.Discriminator,
            () => state.Discriminator.call(batch.Images, batch.Attributes, DiscriminatorHeads.All(quadrant: 1)).Dispose());

        foreach (var layer in spec.GeneratorLayers)
        {
            var t = TimeLayer(state.Generator, layer.Name, generatorInputs[layer.Name], notTrained, warmup, repeats);
            rows.Add(Row("generator", layer, t, "1 fwd (no grad) + 1 fwd+bwd", t.NoGrad + t.Both, bench.BatchSize));
        }
        foreach (var layer in spec.DiscriminatorLayers)
        {
            if (!discriminatorInputs.TryGetValue(layer.Name, out var inputs)) continue;
            var t = TimeLayer(state.Discriminator, layer.Name, inputs, notTrained, warmup, repeats);
            // D step: reals (all heads) and fakes (trunk) with weight gradients; G step: fakes, gradient to the inputs only.
            var (perStep, ms) = layer.Role switch
            {
                LayerRole.Reconstruction => flops.Reconstruction ? ("1 fwd+bwd", t.Both) : ("not run", 0.0),
                LayerRole.Contrastive => (
                    $"{(flops.ContrastiveInDiscriminatorStep ? 1 : 0)} fwd+bwd + {(flops.ContrastiveInGeneratorStep ? 1 : 0)} fwd+input-bwd",
                    (flops.ContrastiveInDiscriminatorStep ? t.Both : 0) + (flops.ContrastiveInGeneratorStep ? t.InputsOnly : 0)),
                _ => ("2 fwd+bwd + 1 fwd+input-bwd", 2 * t.Both + t.InputsOnly),
            };
            rows.Add(Row("discriminator", layer, t, perStep, ms, bench.BatchSize));
        }

        // Optimisers and EMA on the gradients of one real step: their cost does not depend on the gradient values.
        bench.RunStep();
        var generatorAdam = Timing.Repeat(() => state.GeneratorOptimizer.step(), warmup, repeats).MedianMs;
        var discriminatorAdam = Timing.Repeat(() => state.DiscriminatorOptimizer.step(), warmup, repeats).MedianMs;
        var ema = Timing.Repeat(() => state.Ema.Update(state.Step), warmup, repeats).MedianMs;
        foreach (var tensor in generatorInputs.Values.Concat(discriminatorInputs.Values).SelectMany(t => t)) tensor.Dispose();
        return new ProfileResult(spec.Name, bench.BatchSize, measuredStepMs, rows, generatorAdam, discriminatorAdam, ema);
    }

    private static LayerProfile Row(string network, LayerShape layer, LayerTimes t, string perStep, double stepMs, int batch)
    {
        // A forward + backward pass is 3 × the forward's FLOPs (backward: input and weight gradients).
        double gflops = t.Both > 0 ? 3.0 * 2.0 * layer.MacsPerImage * batch / (t.Both * 1e-3) / 1e9 : 0;
        return new LayerProfile(network, layer.Name, layer.Kind, layer.MacsPerImage, t.Forward, t.NoGrad, t.Both, t.InputsOnly, perStep, stepMs, gflops);
    }

    private sealed record LayerTimes(double Forward, double NoGrad, double Both, double InputsOnly);

    /// <summary>Each direct child's inputs in one forward pass, detached copies owned by the caller's scope.</summary>
    private static Dictionary<string, Tensor[]> Capture(nn.Module model, Action forward)
    {
        var captured = new Dictionary<string, Tensor[]>();
        var hooks = new List<Action>();
        // Hooks run inside the networks' own dispose scopes: the copies leave every scope and the caller disposes them.
        Tensor Keep(Tensor t) => t.detach().clone().DetachFromDisposeScope();
        foreach (var (name, child) in model.named_children())
        {
            // The pre-hook sees the caller's tensor objects, so an input that is a network input stays recognisable.
            switch (child)
            {
                case nn.Module<Tensor, Tensor> one:
                    var remover = one.register_forward_pre_hook((_, x) => { captured[name] = new[] { Mark(x, Keep) }; return x; });
                    hooks.Add(remover.remove);
                    break;
                case nn.Module<Tensor, Tensor, Tensor> two:
                    var remover2 = two.register_forward_pre_hook((_, a, b) => { captured[name] = new[] { Mark(a, Keep), Mark(b, Keep) }; return null; });
                    hooks.Add(remover2.remove);
                    break;
                case nn.Module<Tensor, Tensor, Tensor, Tensor> three:
                    var remover3 = three.register_forward_pre_hook((_, a, b, c) => { captured[name] = new[] { Mark(a, Keep), Mark(b, Keep), Mark(c, Keep) }; return null; });
                    hooks.Add(remover3.remove);
                    break;
            }
        }
        try
        {
            using var scope = NewDisposeScope();
            forward();
        }
        finally
        {
            foreach (var remove in hooks) remove();
        }
        return captured;
    }

    /// <summary>Copies remember which original they came from, so gradients are not asked of network inputs.</summary>
    private static Tensor Mark(Tensor original, Func<Tensor, Tensor> keep)
    {
        var copy = keep(original);
        Origins.AddOrUpdate(copy, original);
        return copy;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Tensor, Tensor> Origins = new();

    private static LayerTimes TimeLayer(nn.Module model, string name, Tensor[] inputs, HashSet<Tensor> notTrained,
        int warmup, int repeats)
    {
        var child = model.named_children().Single(c => c.name == name).module;
        bool NeedsGrad(Tensor t) => t.is_floating_point() && !(Origins.TryGetValue(t, out var o) && notTrained.Contains(o));

        Tensor Call(bool withGrad)
        {
            var args = inputs.Select(t => withGrad && NeedsGrad(t) ? t.detach().requires_grad_(true) : t).ToArray();
            return child switch
            {
                nn.Module<Tensor, Tensor> one => one.call(args[0]),
                nn.Module<Tensor, Tensor, Tensor> two => two.call(args[0], args[1]),
                nn.Module<Tensor, Tensor, Tensor, Tensor> three => three.call(args[0], args[1], args[2]),
                _ => throw new InvalidOperationException($"Layer {name} has an unexpected signature."),
            };
        }

        Tensor? upstream = null;
        void Forward()
        {
            using var scope = NewDisposeScope();
            Call(withGrad: true);
        }
        void ForwardNoGrad()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Call(withGrad: false);
        }
        void ForwardBackward()
        {
            using var scope = NewDisposeScope();
            var y = Call(withGrad: true);
            upstream ??= randn(y.shape, generator: new torch.Generator(11)).MoveToOuterDisposeScope();
            if (y.requires_grad) (y * upstream).sum().backward();
            child.zero_grad();
        }

        void InputGradientOnly()
        {
            using var frozen = FrozenParameters.Of(child);
            ForwardBackward();
        }

        double forward = Timing.Repeat(Forward, warmup, repeats).MedianMs;
        double noGradMs = Timing.Repeat(ForwardNoGrad, warmup, repeats).MedianMs;
        double both = Timing.Repeat(ForwardBackward, warmup, repeats).MedianMs;
        double inputsOnly = Timing.Repeat(InputGradientOnly, warmup, repeats).MedianMs;
        return new LayerTimes(forward, noGradMs, both, inputsOnly);
    }
}
