using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Multi-head efficient (linear) attention of Shen et al.: queries softmax over each head's key channels, keys
/// softmax over positions, context = K·Vᵀ (d_k × d_v) per head, out = contextᵀ·Q. Added as a residual scaled by a
/// learned <c>gamma</c> (initialised to 1e-3), followed by a residual 1×1 GLU feed-forward. Shape preserved.
/// </summary>
public sealed class EfficientAttention : nn.Module<Tensor, Tensor>
{
    /// <summary>Initial value of the learned residual scale.</summary>
    public const double InitialGamma = AttentionParts.InitialGamma;

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

    public EfficientAttention(long channels, long heads, long keyDim, long valueDim, bool spectralNorm = false) : base(nameof(EfficientAttention))
    {
        (to_q, to_k, to_v, to_out, gamma, ff_in, ff_out) = AttentionParts.Create(nameof(EfficientAttention), channels, heads, keyDim, valueDim, spectralNorm);
        this.channels = channels;
        this.heads = heads;
        this.keyDim = keyDim;
        this.valueDim = valueDim;
        RegisterComponents();
    }

    /// <summary>Channels of the input and output map.</summary>
    public long Channels => channels;

    public long Heads => heads;

    /// <summary>Query/key channels per head.</summary>
    public long KeyDim => keyDim;

    /// <summary>Value channels per head.</summary>
    public long ValueDim => valueDim;

    public override Tensor forward(Tensor input)
    {
        // input: (B, C, H, W)
        if (input.dim() != 4 || input.shape[1] != channels)
        {
            throw new ArgumentException($"EfficientAttention expects (B, {channels}, H, W), got ({string.Join(", ", input.shape)}).", nameof(input));
        }

        using var scope = torch.NewDisposeScope();
        // Dense NCHW, so heads and positions are views (faster than channels-last here; see MemoryLayout).
        var x = input.contiguous();                                                      // (B, C, H, W)
        long b = x.shape[0], h = x.shape[2], w = x.shape[3], n = h * w;

        var flat = x.view(b, channels, n);                                              // (B, C, N)
        var q = to_q.call(flat).view(b, heads, keyDim, n).softmax(2);       // (B, h, dk, N), softmax over dk
        var k = to_k.call(flat).view(b, heads, keyDim, n).softmax(3);       // (B, h, dk, N), softmax over N
        var v = to_v.call(flat).view(b, heads, valueDim, n);                // (B, h, dv, N)

        var context = torch.matmul(k, v.transpose(2, 3));                               // (B, h, dk, dv)
        var attended = torch.matmul(context.transpose(2, 3), q);                        // (B, h, dv, N)
        var merged = attended.reshape(b, heads * valueDim, n);                          // (B, h·dv, N)
        var result = AttentionParts.ResidualAndFeedForward(flat, merged, to_out, gamma, ff_in, ff_out); // (B, C, N)
        return result.view(b, channels, h, w).MoveToOuterDisposeScope();               // (B, C, H, W)
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
