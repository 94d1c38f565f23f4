namespace AttributeGan.Models.Blocks;

/// <summary>
/// Normalisation after a convolution. <see cref="Batch"/>: the conv has no bias and a BatchNorm2d follows;
/// <see cref="None"/>: the conv has a bias and nothing follows.
/// </summary>
public enum NormKind
{
    None,
    Batch,
}
