using System;
using System.Collections.Generic;
using System.IO;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using SkiaSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Sampling;

/// <summary>
/// A generator whose output depends only on the noise: image = tanh(noise[0..C]) broadcast over the pixels. It
/// records the attribute rows it was called with, so tests can see exactly what the sampler fed it.
/// </summary>
internal sealed class NoiseEchoGenerator : GanGenerator
{
    public NoiseEchoGenerator() : base(nameof(NoiseEchoGenerator))
    {
    }

    public override IGanSpec Spec => TinySpec.Instance;

    public List<float[]> AttributeRows { get; } = new();

    public List<long> BatchSizes { get; } = new();

    public override Tensor forward(Tensor noise, Tensor attributes)
    {
        BatchSizes.Add(noise.shape[0]);
        using (var cpu = attributes.cpu())
            for (int i = 0; i < cpu.shape[0]; i++)
                AttributeRows.Add(cpu[i].data<float>().ToArray());
        int resolution = Spec.Resolution;
        return noise.narrow(1, 0, 3).tanh().view(-1, 3, 1, 1).expand(-1, 3, resolution, resolution).contiguous(); // (B, 3, R, R)
    }
}

/// <summary>A fresh directory under the system temp path, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "attributegan-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

internal static class SamplingTestHelpers
{
    /// <summary>An untrained Tiny generator with weights fixed by <paramref name="seed"/>.</summary>
    public static GanGenerator TinyGenerator(int seed = 1)
    {
        torch.manual_seed(seed);
        return TinySpec.Instance.CreateGenerator();
    }

    /// <summary>True when two tensors hold bit-identical values.</summary>
    public static bool Identical(Tensor a, Tensor b) => a.shape.AsSpan().SequenceEqual(b.shape) && a.Equals(b);

    /// <summary>How many pixels in the rectangle differ from <paramref name="background"/>.</summary>
    public static int CountNot(SKBitmap bitmap, SKColor background, int left, int top, int right, int bottom)
    {
        int count = 0;
        for (int y = Math.Max(0, top); y < Math.Min(bitmap.Height, bottom); y++)
            for (int x = Math.Max(0, left); x < Math.Min(bitmap.Width, right); x++)
                if (bitmap.GetPixel(x, y) != background) count++;
        return count;
    }
}
