using System;
using System.Globalization;
using System.Linq;
using AttributeGan.Runtime.Distributed;
using static TorchSharp.torch;

namespace AttributeGan.Distributed.Probe;

/// <summary>Machine-readable output: one `RESULT rank=R key=value` line per fact.</summary>
internal static class Report
{
    public static void Line(ICollectives collectives, string key, object value)
    {
        var text = value switch
        {
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            float f => f.ToString("R", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        Console.WriteLine($"RESULT rank={collectives.Rank} {key}={text}");
        Console.Out.Flush();
    }

    /// <summary>Values of a tensor (any shape) as comma-separated invariant text, shape first: `2x3:1,2,3,4,5,6`.</summary>
    public static string Values(Tensor tensor)
    {
        var flat = tensor.detach().cpu().contiguous().reshape(-1);
        var shape = string.Join('x', tensor.shape);
        var values = tensor.dtype switch
        {
            ScalarType.Float32 => flat.data<float>().ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
            ScalarType.Float64 => flat.data<double>().ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)),
            ScalarType.Int64 => flat.data<long>().ToArray().Select(v => v.ToString(CultureInfo.InvariantCulture)),
            _ => throw new NotSupportedException(tensor.dtype.ToString()),
        };
        return $"{shape}:{string.Join(',', values)}";
    }
}
