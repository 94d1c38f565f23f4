using System;
using System.IO;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;
using ScalarSafeAdam = AttributeGan.Runtime.Training.ScalarSafe.Adam;

namespace AttributeGan.Runtime.Tests.Training;

/// <summary>
/// ScalarSafe.Adam is TorchSharp's Adam with its Scalars held: the same update bit for bit, in every option, and the same
/// saved state, so checkpoints written by either load into the other.
/// </summary>
public class ScalarSafeAdamTests
{
    [Theory]
    [InlineData(ScalarType.Float32, 0.0, false, false)]
    [InlineData(ScalarType.Float64, 0.0, false, false)]
    [InlineData(ScalarType.Float32, 0.01, false, false)]
    [InlineData(ScalarType.Float32, 0.0, true, false)]
    [InlineData(ScalarType.Float32, 0.0, false, true)]
    public void Takes_exactly_the_steps_TorchSharps_Adam_takes(ScalarType dtype, double weightDecay, bool amsgrad, bool maximize)
    {
        using var scope = NewDisposeScope();
        var (reference, safe) = (Parameters(dtype), Parameters(dtype));
        using var adam = optim.Adam(reference, 2e-4, 0.5, 0.9, 1e-8, weightDecay, amsgrad, maximize);
        using var scalarSafe = new ScalarSafeAdam(safe, 2e-4, 0.5, 0.9, 1e-8, weightDecay, amsgrad, maximize);

        var gradients = new torch.Generator(7);
        for (int step = 0; step < 6; step++)
        {
            for (int i = 0; i < reference.Length; i++)
            {
                var gradient = randn(reference[i].shape, dtype: dtype, generator: gradients);              // the parameter's shape
                reference[i].grad = gradient.clone();
                safe[i].grad = gradient.clone();
            }
            adam.step();
            scalarSafe.step();
            for (int i = 0; i < reference.Length; i++)
            {
                Assert.True(reference[i].equal(safe[i]).all().item<bool>(), $"parameter {i} differs after step {step + 1}");
            }
        }
        // And the update did something: a test of identity between two optimisers that never move would pass too.
        Assert.False(Parameters(dtype)[0].equal(safe[0]).all().item<bool>());
    }

    [Fact]
    public void Saves_what_Adam_saves_and_loads_what_Adam_saved()
    {
        using var scope = NewDisposeScope();
        var (reference, safe) = (Parameters(ScalarType.Float32), Parameters(ScalarType.Float32));
        using var adam = optim.Adam(reference, 2e-4, 0.5, 0.9);
        using var scalarSafe = new ScalarSafeAdam(safe, 2e-4, 0.5, 0.9);
        for (int i = 0; i < reference.Length; i++)
        {
            var gradient = torch.full(reference[i].shape, 0.25f);
            reference[i].grad = gradient.clone();
            safe[i].grad = gradient.clone();
        }
        adam.step();
        scalarSafe.step();
        Assert.Equal(Saved(adam), Saved(scalarSafe));   // the type name TorchSharp writes first included

        // Adam's saved state into a fresh ScalarSafeAdam, then one more step on both: still identical.
        var restored = Parameters(ScalarType.Float32);
        for (int i = 0; i < restored.Length; i++) using (no_grad()) restored[i].copy_(reference[i]);
        using var loaded = new ScalarSafeAdam(restored, 2e-4, 0.5, 0.9);
        using (var reader = new BinaryReader(new MemoryStream(Saved(adam)))) loaded.load_state_dict(reader);
        for (int i = 0; i < reference.Length; i++) restored[i].grad = reference[i].grad!.clone();
        adam.step();
        loaded.step();
        for (int i = 0; i < reference.Length; i++) Assert.True(reference[i].equal(restored[i]).all().item<bool>(), $"parameter {i} differs after loading");
    }

    /// <summary>Three parameters of assorted shapes with fixed values (the same for every call).</summary>
    private static Parameter[] Parameters(ScalarType dtype)
    {
        var values = new torch.Generator(3);
        return new[] { new long[] { 4, 3 }, new long[] { 5 }, new long[] { 2, 2, 3, 3 } }
            .Select(shape => new Parameter(randn(shape, dtype: dtype, generator: values)))
            .ToArray();
    }

    private static byte[] Saved(OptimizerHelper optimizer)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        return stream.ToArray();
    }
}
