using System;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Features;

/// <summary>Fixed RGB test images in [0, 1]: seeded noise, and one structured image with edges, gradients and flat areas.</summary>
internal static class TestImages
{
    /// <summary>(count, 3, size, size) uniform noise from a fixed seed.</summary>
    public static Tensor Noise(int count, int size, int seed)
    {
        using var generator = new Generator((ulong)seed);
        return torch.rand(new long[] { count, 3, size, size }, generator: generator);
    }

    /// <summary>
    /// (1, 3, size, size): a horizontal red ramp, a vertical green ramp, blue stripes of period 8, and a dark disk —
    /// structure a random image lacks (large flat regions, sharp edges, saturated values 0 and 1).
    /// </summary>
    public static Tensor Structured(int size)
    {
        var pixels = new float[3 * size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                var dx = x - size * 0.6;
                var dy = y - size * 0.4;
                var inDisk = dx * dx + dy * dy < size * size / 16.0;
                var i = y * size + x;
                pixels[i] = inDisk ? 0.1f : (float)x / (size - 1);
                pixels[size * size + i] = inDisk ? 0.05f : (float)y / (size - 1);
                pixels[2 * size * size + i] = inDisk ? 0.3f : (x / 4) % 2 == 0 ? 1f : 0f;
            }
        }
        return torch.tensor(pixels, new long[] { 1, 3, size, size });
    }

    /// <summary>Largest absolute difference between two tensors of one shape.</summary>
    public static double MaxAbsDifference(Tensor a, Tensor b)
    {
        Assert.Equal(a.shape, b.shape);
        using var difference = (a.to(ScalarType.Float64) - b.to(ScalarType.Float64)).abs().max();
        return difference.item<double>();
    }
}
