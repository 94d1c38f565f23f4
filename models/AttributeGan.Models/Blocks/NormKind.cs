namespace AttributeGan.Models.Blocks;

/// <summary>
/// Normalisation after a convolution. <see cref="Batch"/> and <see cref="LocalBatch"/>: the conv has no bias and a
/// <see cref="SynchronisedBatchNorm2d"/> follows; <see cref="None"/>: the conv has a bias and nothing follows.
/// </summary>
public enum NormKind
{
    None,

    /// <summary>
    /// Batch statistics synchronised over the processes of data-parallel training whenever there is more than one
    /// (a reducer is attached); on one process identical to nn.BatchNorm2d.
    /// </summary>
    Batch,

    /// <summary>Per-process batch statistics, as data-parallel training without synchronisation; on one process identical to nn.BatchNorm2d.</summary>
    LocalBatch,
}
