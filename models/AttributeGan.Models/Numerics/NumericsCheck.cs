using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Numerics;

/// <summary>One block of a network held against its float64 reference.</summary>
/// <param name="Network"><c>generator</c> or <c>discriminator</c>.</param>
/// <param name="Block">The block's field name in the generated network (<c>stage64</c>, <c>to_image</c>, …).</param>
/// <param name="Kind">Its building block (<c>UpBlock</c>, …).</param>
/// <param name="Deviations">Of the output, each input's gradient and each parameter's gradient.</param>
/// <param name="Redrawn">
/// The first comparison was finite but over the tolerance, so the block was compared again on slightly perturbed inputs
/// and these are the second comparison's deviations. A pre-activation that float32 rounds to the other side of a
/// LeakyReLU kink is a property of one input, not of a kernel; a defective kernel fails the second draw too.
/// </param>
/// <param name="Elapsed">The time of the float32 and float64 passes, forward and backward.</param>
public sealed record BlockCheck(string Network, string Block, string Kind, IReadOnlyList<Deviation> Deviations, bool Redrawn, TimeSpan Elapsed)
{
    /// <summary>The largest deviation (a non-finite one first).</summary>
    public Deviation Worst => Deviations.MaxBy(d => d.Severity)!;

    public bool Passed => Float64Reference.Agrees(Deviations);
}

/// <summary>The result of <see cref="NumericsCheck.Run"/> for one model on this machine.</summary>
public sealed record NumericsReport(string Model, string Device, int Batch, int Threads, IReadOnlyList<BlockCheck> Blocks, TimeSpan Elapsed)
{
    public double Tolerance => Float64Reference.Tolerance;

    public bool Passed => Blocks.All(b => b.Passed);

    public IEnumerable<BlockCheck> Failures => Blocks.Where(b => !b.Passed);

    /// <summary>The block with the largest deviation.</summary>
    public BlockCheck Worst => Blocks.MaxBy(b => b.Worst.Severity)!;

    /// <summary>One line: passed with the largest error, or the first failing block, what deviates and by how much.</summary>
    public string Summary()
    {
        var worst = Worst;
        var seconds = Elapsed.TotalSeconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture);
        return Passed
            ? $"{Model}: {Blocks.Count} blocks match their float64 reference (largest relative error {Format(worst.Worst.RelativeError)} in " +
              $"{worst.Network} {worst.Block}; tolerance {Format(Tolerance)}; batch {Batch}, {Threads} thread(s), {seconds} s)"
            : $"{Model}: {Failures.Count()} of {Blocks.Count} blocks differ from their float64 reference: " +
              string.Join("; ", Failures.Select(b => $"{b.Network} {b.Block} ({b.Kind}): {b.Worst.Quantity} relative error {Format(b.Worst.RelativeError)}")) +
              $" (tolerance {Format(Tolerance)}; batch {Batch}, {Threads} thread(s))";
    }

    public static string Format(double error) =>
        double.IsNaN(error) ? "NaN" : double.IsInfinity(error) ? "∞" : error.ToString("0.0e+0", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// The run-time numerics check: every block of a spec's generator and discriminator, on one tiny batch, forward and
/// backward in float32 against a float64 twin with the same parameters. It exists because a backend can compute wrong
/// gradients on some CPUs (see <see cref="Blocks.MemoryLayout"/>) while two float32 runs agree with each other; training
/// must not start on such a machine without saying so.
/// </summary>
public static class NumericsCheck
{
    /// <summary>
    /// Images per check: 2, or 1 above 128×128, where batch norm still sees hundreds of values per channel and the float64
    /// passes (libtorch's reference convolution, on one core) cost most of the check's time.
    /// </summary>
    public static int DefaultBatch(IGanSpec spec) => spec.Resolution > 128 ? 1 : 2;

    /// <summary>
    /// Builds fresh networks of <paramref name="spec"/> on <paramref name="device"/> (the check is about kernels and shapes,
    /// not trained weights, so it never touches a run's networks), captures every block's inputs in one pass with all
    /// discriminator heads, and compares each block with its float64 twin.
    /// </summary>
    public static NumericsReport Run(IGanSpec spec, Device device, int? batchSize = null, int seed = 0)
    {
        int batch = batchSize ?? DefaultBatch(spec);
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batchSize), batch, "The numerics check needs at least one image.");
        var clock = Stopwatch.StartNew();
        var blocks = new List<BlockCheck>();
        using var scope = NewDisposeScope();
        using var generator = new torch.Generator((ulong)seed, device);

        var noise = randn(new long[] { batch, spec.LatentSize }, device: device, generator: generator);     // (B, latent)
        var attributes = RandomAttributes(spec.Attributes, batch, seed).to(device);                         // (B, A)
        var images = (rand(new long[] { batch, spec.ImageChannels, spec.Resolution, spec.Resolution }, device: device, generator: generator).mul(Scalars.Of(2L)).sub(Scalars.One)); // (B, C, R, R)

        torch.manual_seed(seed);
        using (var network = spec.CreateGenerator())
        {
            network.to(device);
            blocks.AddRange(CheckNetwork("generator", network, spec.CreateGenerator, g => g.call(noise, attributes).Dispose(), seed));
        }
        using (var network = spec.CreateDiscriminator())
        {
            network.to(device);
            blocks.AddRange(CheckNetwork("discriminator", network, spec.CreateDiscriminator,
                d => d.call(images, attributes, DiscriminatorHeads.All(quadrant: 1)).Dispose(), seed));
        }
        return new NumericsReport(spec.Name, device.ToString(), batch, torch.get_num_threads(), blocks, clock.Elapsed);
    }

    /// <summary>
    /// Compares every direct child (block) of <paramref name="network"/> that <paramref name="forward"/> runs with the same
    /// block of a float64 twin built by <paramref name="create"/>, on the inputs the pass gave it.
    /// </summary>
    /// <param name="networkName">Names the network in the results.</param>
    /// <param name="forward">One forward pass of the network given to it.</param>
    public static List<BlockCheck> CheckNetwork<T>(string networkName, T network, Func<T> create, Action<T> forward, int seed = 0) where T : nn.Module
    {
        var captured = BlockInputs.Capture(network, () => forward(network));
        try
        {
            using var twin = Float64Reference.Twin(network, create);
            var twinBlocks = twin.named_children().ToDictionary(c => c.name, c => c.module);
            var checks = new List<BlockCheck>();
            foreach (var (name, block) in network.named_children())
            {
                if (!captured.TryGetValue(name, out var inputs)) continue;   // a block this pass did not run
                var clock = Stopwatch.StartNew();
                int blockSeed = seed + 7919 * checks.Count;
                var deviations = Float64Reference.Compare(block, twinBlocks[name], inputs.Values, blockSeed);
                bool redrawn = !Float64Reference.Agrees(deviations) && deviations.All(d => d.IsFinite);
                if (redrawn)
                {
                    using var scope = NewDisposeScope();
                    deviations = Float64Reference.Compare(block, twinBlocks[name], Perturbed(inputs.Values, blockSeed), blockSeed + 1);
                }
                checks.Add(new BlockCheck(networkName, name, block.GetType().Name, deviations, redrawn, clock.Elapsed));
            }
            return checks;
        }
        finally
        {
            BlockInputs.Dispose(captured.Values);
        }
    }

    /// <summary>
    /// The inputs moved by a seeded relative noise of 1e-3 of their spread, in their own memory layout: a new draw near
    /// the network's own values, on which a kink that float32 rounded the other way is no longer near.
    /// </summary>
    private static Tensor[] Perturbed(IReadOnlyList<Tensor> inputs, int seed)
    {
        using var generator = new torch.Generator((ulong)seed + 1, inputs[0].device);
        return inputs.Select(x =>
        {
            if (!x.is_floating_point() || x.numel() < 2) return x;
            using var size = (1e-3 * x.std().to(ScalarType.Float64).item<double>()).ToScalar();
            var moved = x.add(randn(x.shape, dtype: x.dtype, device: x.device, generator: generator).mul(size), Scalars.One);
            return Blocks.MemoryLayout.IsChannelsLast(x) ? Blocks.MemoryLayout.ChannelsLast(moved) : moved.contiguous();
        }).ToArray();
    }

    /// <summary>One-hot attributes of random levels, seeded: (B, A).</summary>
    private static Tensor RandomAttributes(AttributeLayout layout, int batch, int seed)
    {
        var random = new Random(seed);
        var rows = new float[batch * layout.Width];
        for (int b = 0; b < batch; b++)
        {
            var levels = layout.Attributes.Select(a => random.Next(a.Levels.Count)).ToArray();
            var values = layout.Encode(levels).Values;
            for (int i = 0; i < values.Count; i++) rows[b * layout.Width + i] = values[i];
        }
        return tensor(rows, new long[] { batch, layout.Width });
    }
}
