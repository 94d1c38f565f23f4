using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Data;

/// <summary>
/// One rank's batch. Images (B, C, R, R) float32 in [−1, 1]; Attributes (B, A) one-hot float32 (A = layout width);
/// Labels (B) int64 combination labels for the contrastive loss. Disposing frees the three tensors.
/// </summary>
public sealed record TrainingBatch(Tensor Images, Tensor Attributes, Tensor Labels) : IDisposable
{
    /// <summary>The global batch number n this batch belongs to.</summary>
    public long Number { get; init; }

    /// <summary>Indices into <see cref="DataSet.Samples"/> of the B samples, in batch order.</summary>
    public IReadOnlyList<int> SampleIndices { get; init; } = Array.Empty<int>();

    public void Dispose()
    {
        Images.Dispose();
        Attributes.Dispose();
        Labels.Dispose();
    }
}
