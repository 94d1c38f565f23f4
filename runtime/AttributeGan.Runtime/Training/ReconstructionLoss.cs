using System;
using System.Collections.Generic;
using AttributeGan.Models;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Targets and loss of the discriminator's reconstruction decoders (REFERENCE.md, "Discriminator"), on real images
/// only, in the discriminator step. Decoder 0 (the lowest feature resolution) reconstructs the whole image; every
/// higher decoder reconstructs one quadrant of the image — the same quadrant its features were cropped from
/// (<see cref="GanDiscriminator.Quadrant"/>: 0..3 = top-left, top-right, bottom-left, bottom-right). Each target is
/// resized to the decoders' output size with bilinear interpolation, align_corners = false, no antialiasing
/// (F.interpolate(..., mode='bilinear')).
/// </summary>
public static class ReconstructionLoss
{
    /// <summary>
    /// Σ over decoders d of MSE(reconstruction_d, target_d), each MSE a mean over all B·C·S·S elements; a scalar.
    /// Targets are detached: no gradient reaches the real images.
    /// </summary>
    /// <param name="reconstructions">One (B, C, S, S) image per decoder, lowest resolution first (<see cref="DiscriminatorOutput.Reconstructions"/>).</param>
    /// <param name="realImages">The real batch the discriminator saw: (B, C, R, R).</param>
    /// <param name="resolutions">Feature resolutions of the decoders, ascending (<c>spec.Heads.ReconstructionResolutions</c>).</param>
    /// <param name="size">S, the decoders' output size (<c>spec.Heads.ReconstructionSize</c>).</param>
    /// <param name="quadrant">The quadrant the discriminator pass used (<see cref="DiscriminatorHeads.Quadrant"/>).</param>
    public static Tensor Compute(
        IReadOnlyList<Tensor> reconstructions, Tensor realImages, IReadOnlyList<int> resolutions, int size, int quadrant)
    {
        if (reconstructions.Count != resolutions.Count)
        {
            throw new ArgumentException(
                $"Got {reconstructions.Count} reconstructions for {resolutions.Count} decoder resolutions; request the reconstruction head.",
                nameof(reconstructions));
        }

        using var scope = torch.NewDisposeScope();
        var targets = Targets(realImages, resolutions, size, quadrant);
        Tensor? total = null;
        for (var d = 0; d < targets.Count; d++)
        {
            var reconstruction = reconstructions[d];                                     // (B, C, S, S)
            if (!ShapeEquals(reconstruction, targets[d]))
            {
                throw new ArgumentException(
                    $"Reconstruction {d} has shape ({string.Join(", ", reconstruction.shape)}); its target is ({string.Join(", ", targets[d].shape)}).",
                    nameof(reconstructions));
            }
            var term = nn.functional.mse_loss(reconstruction, targets[d]);               // ()
            total = total is null ? term : total.add(term, Scalars.One);
        }
        return (total ?? torch.zeros(Array.Empty<long>(), dtype: realImages.dtype, device: realImages.device)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The decoders' targets, lowest resolution first, each (B, C, S, S) and detached: the whole image resized for
    /// decoder 0, quadrant <paramref name="quadrant"/> of the image resized for every other decoder.
    /// </summary>
    public static IReadOnlyList<Tensor> Targets(Tensor realImages, IReadOnlyList<int> resolutions, int size, int quadrant)
    {
        if (realImages.dim() != 4 || realImages.shape[2] != realImages.shape[3] || realImages.shape[2] < 2)
        {
            throw new ArgumentException(
                $"Real images must be square (B, C, R, R) with R ≥ 2, got ({string.Join(", ", realImages.shape)}).", nameof(realImages));
        }
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "The reconstruction size must be positive.");
        if (quadrant is < 0 or > 3) throw new ArgumentOutOfRangeException(nameof(quadrant), quadrant, "A quadrant index is 0, 1, 2 or 3.");
        for (var d = 1; d < resolutions.Count; d++)
        {
            if (resolutions[d] <= resolutions[d - 1])
            {
                throw new ArgumentException(
                    $"Decoder resolutions must be ascending, got [{string.Join(", ", resolutions)}].", nameof(resolutions));
            }
        }

        var targets = new List<Tensor>(resolutions.Count);
        if (resolutions.Count == 0) return targets;

        using var scope = torch.NewDisposeScope();
        var images = realImages.detach();                                                // (B, C, R, R)
        targets.Add(Resize(images, size).MoveToOuterDisposeScope());                     // (B, C, S, S)
        if (resolutions.Count > 1)
        {
            var crop = Resize(GanDiscriminator.Quadrant(images, quadrant), size);        // (B, C, R/2, R/2) → (B, C, S, S)
            targets.Add(crop.MoveToOuterDisposeScope());
            for (var d = 2; d < resolutions.Count; d++)
            {
                targets.Add(crop.clone().MoveToOuterDisposeScope());                     // every caller may dispose its own
            }
        }
        return targets;
    }

    /// <summary>Bilinear resize to (size, size), align_corners = false: (B, C, H, W) → (B, C, S, S).</summary>
    private static Tensor Resize(Tensor images, int size) =>
        nn.functional.interpolate(images, new long[] { size, size }, mode: InterpolationMode.Bilinear, align_corners: false);

    private static bool ShapeEquals(Tensor a, Tensor b)
    {
        if (a.dim() != b.dim()) return false;
        for (var i = 0; i < a.dim(); i++)
        {
            if (a.shape[i] != b.shape[i]) return false;
        }
        return true;
    }
}
