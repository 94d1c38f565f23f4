using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// Mixed_5b/5c/5d of the FID Inception-V3 (pytorch-fid's FIDInceptionA): 1×1, 5×5 and double-3×3 branches and a
/// pooled 1×1 branch, concatenated: (B, Cin, 35, 35) → (B, 224 + poolFeatures, 35, 35). The FID-specific part: the
/// branch pool's 3×3 average ignores the zero padding (TensorFlow's behaviour), unlike torchvision's InceptionA.
/// </summary>
internal sealed class FidInceptionA : nn.Module<Tensor, Tensor>
{
    private readonly InceptionConv branch1x1;
    private readonly InceptionConv branch5x5_1;
    private readonly InceptionConv branch5x5_2;
    private readonly InceptionConv branch3x3dbl_1;
    private readonly InceptionConv branch3x3dbl_2;
    private readonly InceptionConv branch3x3dbl_3;
    private readonly InceptionConv branch_pool;

    public FidInceptionA(long inChannels, long poolFeatures) : base(nameof(FidInceptionA))
    {
        branch1x1 = new InceptionConv(inChannels, 64, 1);
        branch5x5_1 = new InceptionConv(inChannels, 48, 1);
        branch5x5_2 = new InceptionConv(48, 64, 5, padding: 2);
        branch3x3dbl_1 = new InceptionConv(inChannels, 64, 1);
        branch3x3dbl_2 = new InceptionConv(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new InceptionConv(96, 96, 3, padding: 1);
        branch_pool = new InceptionConv(inChannels, poolFeatures, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, Cin, H, W)
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);                                                      // (B, 64, H, W)
        var b5 = branch5x5_2.call(branch5x5_1.call(x));                                  // (B, 64, H, W)
        var b3 = branch3x3dbl_3.call(branch3x3dbl_2.call(branch3x3dbl_1.call(x)));       // (B, 96, H, W)
        var pooled = F.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: false);
        var bp = branch_pool.call(pooled);                                               // (B, poolFeatures, H, W)
        return cat(new[] { b1, b5, b3, bp }, 1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var conv in new[] { branch1x1, branch5x5_1, branch5x5_2, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3, branch_pool })
            {
                conv.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
