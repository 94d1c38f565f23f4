using System;
using AttributeGan.Models;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// The gradient penalty on real images (<c>losses.gradient_penalty</c>): of D(x) = the mean of an image's patch logits,
/// R1 = mean over images of ‖∇ₓ D(x)‖², one-centred = mean of (‖∇ₓ D(x)‖ − 1)². Computed with a second-order graph
/// (create_graph), so its gradient reaches the discriminator's weights.
/// </summary>
/// <remarks>
/// D(x) is the patch mean because that is the score the hinge losses move, and the single logit lightweight-gan's
/// penalty was tuned on. Penalising the sum of P patch logits instead asks the mean's gradient norm to be 1/P:
/// with AttributeGan64's 25 patches that held the discriminator's loss near chance (docs/results/recipe-64.md).
/// </remarks>
public static class GradientPenalty
{
    /// <summary>Whether the penalty applies on <paramref name="step"/> (0-based, the step being computed).</summary>
    public static bool Due(GradientPenaltySettings? settings, long step) =>
        settings is { Weight: > 0 } && step % settings.Every == 0;

    /// <param name="realImages">(B, C, H, W) the real images as the discriminator saw them (augmented, if it augments).</param>
    /// <returns>The unweighted penalty, a scalar.</returns>
    public static Tensor Compute(GanDiscriminator discriminator, Tensor realImages, Tensor attributes, GradientPenaltyKind kind)
    {
        var input = realImages.detach().requires_grad_(true);                            // (B, C, H, W)
        var scores = discriminator.call(input, attributes, DiscriminatorHeads.LogitsOnly).Logits.mean(new long[] { 1 }); // (B)
        // Images are independent, so the gradient of the batch's sum holds each image's own ∇ₓ D(x_b).
        // retain_graph: the penalty is back-propagated with the loss (PyTorch defaults it to create_graph; TorchSharp to false).
        var gradient = torch.autograd.grad(new[] { scores.sum() }, new[] { input }, retain_graph: true, create_graph: true)[0]; // (B, C, H, W)
        var squared = gradient.pow(Scalars.Of(2L)).flatten(1).sum(1);                    // (B)
        return kind switch
        {
            GradientPenaltyKind.R1 => squared.mean(),
            GradientPenaltyKind.OneCentred => squared.sqrt().sub(Scalars.One).pow(Scalars.Of(2L)).mean(),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown gradient penalty."),
        };
    }
}
