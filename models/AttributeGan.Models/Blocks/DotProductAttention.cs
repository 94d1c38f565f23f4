using System;
using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Multi-head dot-product self-attention (SAGAN/BigGAN): softmax(QᵀK/√d_k) over all N = H·W positions, which
/// materialises an N×N map per head, so its cost grows with N² where <see cref="EfficientAttention"/>'s grows with N.
/// Same 1×1 projections, learned residual scale (initialised to 1e-3) and residual 1×1 GLU feed-forward as
/// <see cref="EfficientAttention"/>, so the two have the same parameters and a spec switches between them with
/// <c>attention.kind</c>. <paramref name="fused"/> uses libtorch's scaled_dot_product_attention kernel (same result,
/// flash-style tiling) instead of the explicit matmul-softmax-matmul; <c>bench</c> compares both.
/// </summary>
public sealed class DotProductAttention : nn.Module<Tensor, Tensor>
{
    private readonly Conv to_q;
    private readonly Conv to_k;
    private readonly Conv to_v;
    private readonly Conv to_out;
    private readonly Parameter gamma;
    private readonly Conv ff_in;
    private readonly Conv ff_out;

    private readonly long channels;
    private readonly long heads;
    private readonly long keyDim;
    private readonly long valueDim;
    private readonly bool fused;

    public DotProductAttention(long channels, long heads, long keyDim, long valueDim, bool spectralNorm = false, bool fused = false) : base(nameof(DotProductAttention))
    {
        (to_q, to_k, to_v, to_out, gamma, ff_in, ff_out) = AttentionParts.Create(nameof(DotProductAttention), channels, heads, keyDim, valueDim, spectralNorm);
        this.channels = channels;
        this.heads = heads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        this.fused = fused;
        RegisterComponents();
    }

    public long Channels => channels;

    public long Heads => heads;

    /// <summary>Query/key channels per head.</summary>
    public long KeyDim => keyDim;

    /// <summary>Value channels per head.</summary>
    public long ValueDim => valueDim;

    public override Tensor forward(Tensor x)
    {
        // x: (B, C, H, W)
        if (x.dim() != 4 || x.shape[1] != channels)
            throw new ArgumentException($"DotProductAttention expects (B, {channels}, H, W), got ({string.Join(", ", x.shape)}).", nameof(x));

        using var scope = torch.NewDisposeScope();
        long b = x.shape[0], h = x.shape[2], w = x.shape[3], n = h * w;
        var q = to_q.call(x).view(b, heads, keyDim, n).transpose(2, 3);                 // (B, h, N, dk)
        var k = to_k.call(x).view(b, heads, keyDim, n).transpose(2, 3);                 // (B, h, N, dk)
        var v = to_v.call(x).view(b, heads, valueDim, n).transpose(2, 3);               // (B, h, N, dv)

        Tensor attended;                                                                 // (B, h, N, dv)
        if (fused)
        {
            attended = nn.functional.scaled_dot_product_attention(q, k, v);
        }
        else
        {
            var scores = torch.matmul(q, k.transpose(2, 3)).mul(Scalars.Of(1.0 / Math.Sqrt(keyDim))); // (B, h, N, N)
            attended = torch.matmul(scores.softmax(3), v);
        }

        var merged = attended.transpose(2, 3).reshape(b, heads * valueDim, h, w);       // (B, h·dv, H, W)
        return AttentionParts.ResidualAndFeedForward(x, merged, to_out, gamma, ff_in, ff_out).MoveToOuterDisposeScope(); // (B, C, H, W)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            to_q.Dispose();
            to_k.Dispose();
            to_v.Dispose();
            to_out.Dispose();
            gamma.Dispose();
            ff_in.Dispose();
            ff_out.Dispose();
        }
        base.Dispose(disposing);
    }
}
