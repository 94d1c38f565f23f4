using System;
using System.Collections.Generic;
using AttributeGan.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// Runs a generator over a rows × columns table of (attribute vector, noise) pairs: row r uses attribute vector r,
/// column c uses noise vector c, so every image in a column shares its noise. Grids and interpolation walks both
/// come through here, so the same (noise, attributes) pair is always computed the same way.
/// </summary>
public static class GeneratorBatches
{
    /// <summary>The most images in one forward pass: bounds peak memory at 512×512 on a CPU.</summary>
    public const int DefaultMaxBatch = 64;

    /// <summary>
    /// (columns, latent) standard-normal noise from a generator seeded by <paramref name="seed"/>. It is drawn on the
    /// CPU, so a seed gives the same noise whatever device later runs the model, and the process-wide RNG is untouched.
    /// </summary>
    public static Tensor Noise(int latentSize, int columns, int seed)
    {
        if (columns < 1) throw new ArgumentOutOfRangeException(nameof(columns), columns, "Need at least one column.");
        using var random = new torch.Generator((ulong)seed, CPU);
        return randn(new long[] { columns, latentSize }, generator: random);
    }

    /// <summary>
    /// Images (rows·columns, C, R, R) on the CPU, row-major: image r·columns + c is <paramref name="rows"/>[r] with
    /// noise[c]. The generator runs in eval mode (batch norm uses running statistics, so an image does not depend
    /// on the others in its batch) under no_grad, in chunks of at most <paramref name="maxBatch"/>; its previous
    /// training mode is restored afterwards. The generator must already be on <paramref name="device"/>.
    /// </summary>
    public static Tensor Generate(GanGenerator generator, Tensor noise, IReadOnlyList<AttributeVector> rows, Device device, int maxBatch = DefaultMaxBatch)
    {
        if (noise.dim() != 2) throw new ArgumentException($"Noise must be (columns, latent), got ({string.Join(", ", noise.shape)}).", nameof(noise));
        if (rows.Count == 0) throw new ArgumentException("Need at least one row of attributes.", nameof(rows));
        if (maxBatch < 1) throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, "A batch holds at least one image.");

        bool wasTraining = generator.training;
        generator.eval();
        try
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            long columns = noise.shape[0];
            long total = rows.Count * columns;
            var allNoise = noise.to(ScalarType.Float32).repeat(rows.Count, 1);                  // (rows·columns, latent): row r, column c → noise[c]
            var perRow = AttributeVector.Stack(rows);                                             // (rows, A)
            var allAttributes = perRow.repeat_interleave(columns, dim: 0);                        // (rows·columns, A)

            var chunks = new List<Tensor>();
            for (long start = 0; start < total; start += maxBatch)
            {
                long length = Math.Min(maxBatch, total - start);
                var z = allNoise.narrow(0, start, length).to(device);                            // (b, latent)
                var a = allAttributes.narrow(0, start, length).to(device);                       // (b, A)
                chunks.Add(generator.call(z, a).to(ScalarType.Float32).cpu());                   // (b, C, R, R)
            }

            return cat(chunks, 0).MoveToOuterDisposeScope();                                     // (rows·columns, C, R, R)
        }
        finally
        {
            generator.train(wasTraining);
        }
    }
}
