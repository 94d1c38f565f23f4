using System;
using System.Collections.Generic;
using TorchSharp;
using AttributeGan.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Weight initialisation of the authors' code (lightweight-gan): <c>kaiming_normal_(w, a=0, mode='fan_in',
/// nonlinearity='leaky_relu')</c> on conv and linear weights. With a = 0 the leaky-ReLU gain is √(2 / (1 + a²)) = √2
/// (the ReLU gain), so every weight is drawn from N(0, std²) with std = √2 / √fan_in. The networks use GLU and
/// LeakyReLU(0.1); the code's a = 0 is kept rather than matching 0.1 (a gain difference of 0.5%).
/// </summary>
public static class Initialization
{
    /// <summary>
    /// Re-initialises, in module-tree order, the weight of every <see cref="Conv2d"/>, <see cref="ConvTranspose2d"/> and
    /// <see cref="Linear"/> in <paramref name="module"/> (itself included) with kaiming-normal and sets their biases to
    /// zero. Batch-norm affine parameters and running statistics, the attention's learned scale <c>gamma</c> and any
    /// other parameter are left alone. Draws from torch's global generator, so a <c>torch.manual_seed</c> before the call
    /// makes it reproducible. Returns how many layers were initialised.
    /// <para>
    /// fan_in follows PyTorch: weight.shape[1] × kernel area. For Conv2d (out, in/groups, kh, kw) that is
    /// in/groups·kh·kw; for Linear (out, in) it is in; for ConvTranspose2d, whose weight is (in, out/groups, kh, kw),
    /// PyTorch's rule gives out/groups·kh·kw — kept for parity with torch.nn.init, although the authors' code (exact
    /// type match on Conv2d and Linear) leaves transposed convolutions at their default initialisation.
    /// </para>
    /// </summary>
    /// <param name="module">The root of the tree, e.g. a generator or a discriminator.</param>
    /// <param name="negativeSlope">The leaky-ReLU slope a of the gain; 0 as in the authors' code.</param>
    public static int KaimingNormal(nn.Module module, double negativeSlope = 0.0)
    {
        if (!(negativeSlope >= 0) || double.IsInfinity(negativeSlope))
        {
            throw new ArgumentOutOfRangeException(nameof(negativeSlope), negativeSlope, "The leaky-ReLU slope must be a non-negative finite number.");
        }

        double gain = Math.Sqrt(2.0 / (1.0 + negativeSlope * negativeSlope));
        var count = 0;
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var layer in Layers(module))
        {
            (Tensor weight, Tensor? bias) = layer switch
            {
                ConvTranspose2d t => (t.weight, (Tensor?)t.bias),
                Conv2d c => (c.weight, c.bias),
                Linear l => (l.weight, l.bias),
                Conv c => (c.Weight, c.Bias),
                Dense d => (d.Weight, d.Bias),
                _ => throw new InvalidOperationException("unreachable"),
            };
            weight.normal_(0.0, gain / Math.Sqrt(FanIn(weight.shape)));
            bias?.zero_();
            count++;
        }
        return count;
    }

    /// <summary>PyTorch's fan_in of a weight: shape[1] × the product of shape[2..] (1 for a 1-D weight).</summary>
    public static long FanIn(long[] weightShape)
    {
        if (weightShape.Length < 2)
        {
            throw new ArgumentException($"fan_in needs a weight with at least 2 dimensions, got ({string.Join(", ", weightShape)}).", nameof(weightShape));
        }
        long fan = weightShape[1];
        for (var i = 2; i < weightShape.Length; i++) fan *= weightShape[i];
        return fan;
    }

    /// <summary>The root and its descendants that are convolutions or linear layers (TorchSharp's or the blocks' <see cref="Conv"/> and <see cref="Dense"/>), each once, in tree order.</summary>
    private static IEnumerable<nn.Module> Layers(nn.Module root)
    {
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        var all = new List<nn.Module> { root };
        all.AddRange(root.modules());
        foreach (var m in all)
        {
            if (m is Conv2d or ConvTranspose2d or Linear or Conv or Dense && seen.Add(m)) yield return m;
        }
    }
}
