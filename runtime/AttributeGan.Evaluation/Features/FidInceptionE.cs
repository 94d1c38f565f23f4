using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>How the branch pool of an Inception E block pools before its 1×1 convolution.</summary>
internal enum InceptionEPooling
{
    /// <summary>3×3 average that ignores the zero padding: Mixed_7b (pytorch-fid's FIDInceptionE_1).</summary>
    AverageWithoutPadding,

    /// <summary>
    /// 3×3 max: Mixed_7c (pytorch-fid's FIDInceptionE_2). The TensorFlow graph the FID weights come from has a max
    /// pool here, probably by mistake (the paper and torchvision average); FID values are only comparable with it.
    /// </summary>
    Max,
}

/// <summary>
/// Mixed_7b/7c of the FID Inception-V3: 1×1, split 3×3 (1×3 and 3×1 side by side), double split 3×3 and pooled 1×1
/// branches: (B, Cin, 8, 8) → (B, 2048, 8, 8).
/// </summary>
internal sealed class FidInceptionE : nn.Module<Tensor, Tensor>
{
    private readonly InceptionConv branch1x1;
    private readonly InceptionConv branch3x3_1;
    private readonly InceptionConv branch3x3_2a;
    private readonly InceptionConv branch3x3_2b;
    private readonly InceptionConv branch3x3dbl_1;
    private readonly InceptionConv branch3x3dbl_2;
    private readonly InceptionConv branch3x3dbl_3a;
    private readonly InceptionConv branch3x3dbl_3b;
    private readonly InceptionConv branch_pool;
    private readonly InceptionEPooling pooling;

    public FidInceptionE(long inChannels, InceptionEPooling pooling) : base(nameof(FidInceptionE))
    {
        this.pooling = pooling;
        branch1x1 = new InceptionConv(inChannels, 320, 1);
        branch3x3_1 = new InceptionConv(inChannels, 384, 1);
        branch3x3_2a = InceptionConv.Rectangular(384, 384, 1, 3);
        branch3x3_2b = InceptionConv.Rectangular(384, 384, 3, 1);
        branch3x3dbl_1 = new InceptionConv(inChannels, 448, 1);
        branch3x3dbl_2 = new InceptionConv(448, 384, 3, padding: 1);
        branch3x3dbl_3a = InceptionConv.Rectangular(384, 384, 1, 3);
        branch3x3dbl_3b = InceptionConv.Rectangular(384, 384, 3, 1);
        branch_pool = new InceptionConv(inChannels, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, Cin, H, W)
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);                                                      // (B, 320, H, W)
        var s = branch3x3_1.call(x);                                                     // (B, 384, H, W)
        var b3 = cat(new[] { branch3x3_2a.call(s), branch3x3_2b.call(s) }, 1);           // (B, 768, H, W)
        var d = branch3x3dbl_2.call(branch3x3dbl_1.call(x));                             // (B, 384, H, W)
        var bd = cat(new[] { branch3x3dbl_3a.call(d), branch3x3dbl_3b.call(d) }, 1);     // (B, 768, H, W)
        var pooled = pooling == InceptionEPooling.Max
            ? F.max_pool2d(x, 3, stride: 1, padding: 1)
            : F.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: false);
        var bp = branch_pool.call(pooled);                                               // (B, 192, H, W)
        return cat(new[] { b1, b3, bd, bp }, 1).MoveToOuterDisposeScope();               // (B, 2048, H, W)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var conv in new[] { branch1x1, branch3x3_1, branch3x3_2a, branch3x3_2b, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3a, branch3x3dbl_3b, branch_pool })
            {
                conv.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
