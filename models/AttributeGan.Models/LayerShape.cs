using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Models;

/// <summary>
/// One named layer of a compiled network: its output shape per image (no batch dimension), its parameter
/// count and multiply-accumulates per image, all inferred at build time, and its <see cref="LayerRole"/> (which passes
/// run it).
/// </summary>
public sealed record LayerShape(string Name, string Kind, LayerRole Role, IReadOnlyList<long> OutputShape, long Parameters, long MacsPerImage)
{
    /// <summary>The output shape with a batch dimension in front, as TorchSharp reports it.</summary>
    public long[] WithBatch(long batch) => new[] { batch }.Concat(OutputShape).ToArray();

    public string FormatShape() => "(" + string.Join(", ", OutputShape) + ")";
}
