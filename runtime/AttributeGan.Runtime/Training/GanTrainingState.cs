using System;
using System.Linq;
using AttributeGan.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Everything a run changes while it trains: both networks, the EMA generator and both optimisers, plus the
/// number of completed steps. This is exactly what a checkpoint holds.
/// </summary>
public sealed class GanTrainingState : IDisposable
{
    public GanTrainingState(IGanSpec spec, Device device, int seed)
    {
        Spec = spec;
        torch.manual_seed(seed);
        Generator = spec.CreateGenerator();
        Discriminator = spec.CreateDiscriminator();
        Initialization.KaimingNormal(Generator);
        Initialization.KaimingNormal(Discriminator);
        Generator.to(device);
        Discriminator.to(device);
        Ema = new ExponentialMovingAverage(Generator, spec.Training.Ema);
        var training = spec.Training;
        // TorchSharp's Adam update, with its Scalars held across the native calls (ScalarSafe.Adam says why).
        GeneratorOptimizer = new ScalarSafe.Adam(Generator.parameters(), training.LearningRate, training.Beta1, training.Beta2);
        DiscriminatorOptimizer = new ScalarSafe.Adam(Discriminator.parameters(), training.LearningRate, training.Beta1, training.Beta2);
    }

    public IGanSpec Spec { get; }

    public GanGenerator Generator { get; }

    public GanDiscriminator Discriminator { get; }

    public ExponentialMovingAverage Ema { get; }

    public Adam GeneratorOptimizer { get; }

    public Adam DiscriminatorOptimizer { get; }

    /// <summary>Completed optimiser steps.</summary>
    public long Step { get; set; }

    /// <summary>All parameters and buffers of G, D and the EMA generator, by prefixed name (for equality tests).</summary>
    public (string Name, Tensor Value)[] Snapshot() =>
        Generator.state_dict().Select(p => ("generator." + p.Key, p.Value))
            .Concat(Discriminator.state_dict().Select(p => ("discriminator." + p.Key, p.Value)))
            .Concat(Ema.Generator.state_dict().Select(p => ("ema." + p.Key, p.Value)))
            .ToArray();

    public void Dispose()
    {
        GeneratorOptimizer.Dispose();
        DiscriminatorOptimizer.Dispose();
        Ema.Dispose();
        Generator.Dispose();
        Discriminator.Dispose();
    }
}
