using System;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>
/// The baseline the paper's efficient attention replaces: the same 1×1 projections, residual scale and GLU feed-forward as
/// <see cref="AttributeGan.Models.Blocks.EfficientAttention"/>, but softmax(QᵀK/√d_k) over all N = H·W positions, which
/// materialises an N×N map per head. <paramref name="fused"/> uses libtorch's scaled_dot_product_attention kernel (same
/// result, flash-style tiling) instead of the explicit matmul-softmax-matmul.
/// </summary>
public sealed class DotProductAttention : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d to_q;
    private readonly Conv2d to_k;
    private readonly Conv2d to_v;
    private readonly Conv2d to_out;
    private readonly Parameter gamma;
    private readonly Conv2d ff_in;
    private readonly Conv2d ff_out;

    private readonly long heads;
    private readonly long keyDim;
    private readonly long valueDim;
    private readonly bool fused;

    public DotProductAttention(long channels, long heads, long keyDim, long valueDim, bool fused) : base(nameof(DotProductAttention))
    {
        this.heads = heads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        this.fused = fused;
        to_q = nn.Conv2d(channels, heads * keyDim, 1, bias: false);
        to_k = nn.Conv2d(channels, heads * keyDim, 1, bias: false);
        to_v = nn.Conv2d(channels, heads * valueDim, 1, bias: false);
        to_out = nn.Conv2d(heads * valueDim, channels, 1, bias: true);
        using (torch.NewDisposeScope())
        {
            gamma = new Parameter(torch.full(new long[] { 1 }, 1e-3, dtype: torch.get_default_dtype()));
            gamma.DetachFromDisposeScope();
        }
        ff_in = nn.Conv2d(channels, 2 * channels, 1, bias: true);
        ff_out = nn.Conv2d(channels, channels, 1, bias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, C, H, W)
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
            var scores = torch.matmul(q, k.transpose(2, 3)).mul_(1.0 / Math.Sqrt(keyDim)); // (B, h, N, N)
            attended = torch.matmul(scores.softmax(3), v);
        }

        var merged = attended.transpose(2, 3).reshape(b, heads * valueDim, h, w);       // (B, h·dv, H, W)
        var y = x + gamma * to_out.call(merged);                                        // (B, C, H, W)
        var hidden = nn.functional.glu(ff_in.call(y), 1);                               // (B, C, H, W)
        return (y + ff_out.call(hidden)).MoveToOuterDisposeScope();                     // (B, C, H, W)
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
