using System.Linq;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

/// <summary>Small helpers to move float64 tensors to plain arrays for loop-based reference computations.</summary>
internal static class TensorData
{
    public static double[] Flat(Tensor t) => t.detach().to(ScalarType.Float64).contiguous().data<double>().ToArray();

    public static double[,] Matrix(Tensor t)
    {
        var flat = Flat(t);
        long rows = t.shape[0], cols = t.shape[1];
        var m = new double[rows, cols];
        for (long i = 0; i < rows; i++)
            for (long j = 0; j < cols; j++)
                m[i, j] = flat[i * cols + j];
        return m;
    }

    public static long[] Longs(Tensor t) => t.to(ScalarType.Int64).contiguous().data<long>().ToArray();

    public static Tensor RandomDouble(params long[] shape) => randn(shape, dtype: ScalarType.Float64);
}
