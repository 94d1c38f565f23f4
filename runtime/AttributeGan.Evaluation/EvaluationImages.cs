using System;
using System.Collections.Generic;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime.Data;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation;

/// <summary>
/// The one image convention of evaluation: RGB in [0, 1], (B, 3, R, R) float32. Data sets and generators use
/// [−1, 1]; both come through here, so real and generated images reach the classifier and the feature network
/// the same way.
/// </summary>
public static class EvaluationImages
{
    /// <summary>Samples <paramref name="indices"/> of <paramref name="data"/> → (B, 3, R, R) in [0, 1] on the CPU.</summary>
    public static Tensor FromDataSet(DataSet data, IReadOnlyList<int> indices)
    {
        if (indices.Count == 0) throw new ArgumentException("Need at least one image index.", nameof(indices));
        int r = data.Resolution, size = 3 * r * r;
        var values = new float[indices.Count * size];
        for (int i = 0; i < indices.Count; i++)
        {
            var chw = data.Image(indices[i]);                                   // (3, R, R) in [−1, 1]
            for (int j = 0; j < size; j++) values[i * size + j] = chw[j] * 0.5f + 0.5f;
        }
        return tensor(values, new long[] { indices.Count, 3, r, r });          // (B, 3, R, R) in [0, 1]
    }

    /// <summary>
    /// Generator output (B, 3, R, R) in [−1, 1] → [0, 1], quantised to 8 bits exactly as saving the image does
    /// (ImageConversion: clamp, NaN → mid grey, round((x + 1)·127.5)). Real images are 8-bit files, so both sides of
    /// every metric are images as a viewer would see them, on the same 1/255 grid.
    /// </summary>
    public static Tensor FromGenerator(Tensor images)
    {
        using var scope = NewDisposeScope();
        var bytes = nan_to_num(images.to(ScalarType.Float32), nan: 0.0)
            .clamp(Scalars.Of(-1.0), Scalars.Of(1.0)).add(Scalars.Of(1.0), Scalars.One).mul(Scalars.Of(127.5)).round(); // (B, 3, R, R) in {0..255}
        return bytes.div(Scalars.Of(255.0)).MoveToOuterDisposeScope();                                                   // (B, 3, R, R) in [0, 1]
    }
}
