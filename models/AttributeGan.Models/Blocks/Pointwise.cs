using System;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// 1×1 convolutions as the matrix products they are (every block's <see cref="Layers.Conv"/> uses this). libtorch's convolution path gives wrong forward values for some
/// channels-last 1×1 convolutions on some CPUs (see <see cref="MemoryLayout"/>) and, on dense NCHW maps, reorders to
/// oneDNN's blocked layout and back; a matrix product reads either layout as it is. The layers stay
/// <see cref="Conv2d"/> modules, so parameters, initialisation and checkpoints are those of the convolution.
/// </summary>
public static class Pointwise
{
    /// <summary>
    /// A 1×1 convolution with <paramref name="weight"/> (out, in, 1, 1) and <paramref name="bias"/> (out) applied to
    /// <paramref name="x"/>: (B, in, H, W) → (B, out, H, W) in the memory layout of <paramref name="x"/> (channels-last stays
    /// channels-last, anything else gives dense NCHW), or (B, in, N) → (B, out, N) for a map already flattened over positions.
    /// </summary>
    public static Tensor Apply(Tensor weight, Tensor? bias, Tensor x)
    {
        if (weight.dim() != 4 || weight.shape[2] != 1 || weight.shape[3] != 1)
        {
            throw new ArgumentException($"Pointwise.Apply takes a (out, in, 1, 1) weight, got ({string.Join(", ", weight.shape)}).", nameof(weight));
        }
        if (x.dim() is not (3 or 4) || x.shape[1] != weight.shape[1])
        {
            throw new ArgumentException($"Pointwise.Apply expects (B, {weight.shape[1]}, H, W) or (B, {weight.shape[1]}, N), got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        var matrix = weight.flatten(1);                                                  // (out, in)
        long b = x.shape[0];
        if (x.dim() == 4 && MemoryLayout.IsChannelsLast(x))
        {
            long h = x.shape[2], w = x.shape[3];
            var rows = x.permute(0, 2, 3, 1).reshape(b * h * w, -1);                      // (B·H·W, in), a view
            var y = torch.matmul(rows, matrix.t())                                       // (B·H·W, out)
                .view(b, h, w, -1).permute(0, 3, 1, 2);                                  // (B, out, H, W), NHWC strides
            return bias is null ? y : y.add(bias.view(1, -1, 1, 1), Scalars.One);
        }

        var columns = x.reshape(b, x.shape[1], -1);                                      // (B, in, N), a view when dense
        // The weight broadcast by stride: a batched product (B, out, in)·(B, in, N), with no copy of the weight.
        var product = torch.bmm(matrix.expand(b, matrix.shape[0], matrix.shape[1]), columns); // (B, out, N)
        if (bias is not null) product = product.add(bias.view(1, -1, 1), Scalars.One);
        return x.dim() == 4 ? product.view(b, -1, x.shape[2], x.shape[3]) : product;    // (B, out, H, W) or (B, out, N)
    }

    /// <summary><paramref name="conv"/> (a 1×1 convolution, stride 1, no padding, one group) applied as <see cref="Apply(Tensor, Tensor?, Tensor)"/>.</summary>
    public static Tensor Apply(Conv2d conv, Tensor x)
    {
        var weight = conv.weight!;
        if (weight.shape[2] != 1 || weight.shape[3] != 1)
        {
            throw new ArgumentException($"Pointwise.Apply takes a 1×1 convolution, got a {weight.shape[2]}×{weight.shape[3]} kernel.", nameof(conv));
        }
        return Apply(weight, conv.bias, x);
    }
}
