using System;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Metrics;

/// <summary>
/// The rows <see cref="FeatureDiversity.Ratio"/> compares for the layout diversity: each image area-averaged to
/// <see cref="Size"/>×<see cref="Size"/> pixels, where grain averages out and only where tissue, nuclei and lumen lie
/// remains. An ImageNet network's features are lenient with texture: a 64×64 generator whose columns share one layout
/// and differ in grain read 0.61 in features, 0.47 in full-resolution pixels and 0.31 here, while one whose layouts
/// vary read 0.79, 0.87 and 0.85 (docs/results/ablation-64.md). One size for every resolution, so the measure looks at
/// the same share of the field of view at 64×64 and at 512×512 and costs the same.
/// </summary>
public static class LayoutDiversity
{
    /// <summary>The side images are reduced to before they are compared.</summary>
    public const int Size = 16;

    /// <summary>(B, 3, R, R) images in [0, 1] → (B, 3·S·S) rows on the CPU, S = min(R, <see cref="Size"/>).</summary>
    public static Tensor Features(Tensor images)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected (B, C, H, W) images, got ({string.Join(", ", images.shape)}).", nameof(images));
        using var scope = NewDisposeScope();
        var reduced = images.shape[2] > Size || images.shape[3] > Size
            ? nn.functional.adaptive_avg_pool2d(images, new long[] { Math.Min(images.shape[2], Size), Math.Min(images.shape[3], Size) })   // (B, 3, S, S)
            : images;
        return reduced.flatten(1).cpu().MoveToOuterDisposeScope();                                                                          // (B, 3·S·S)
    }
}
