using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// Mixed_6b–6e of the FID Inception-V3 (pytorch-fid's FIDInceptionC): 1×1, factorised 7×7 (1×7 then 7×1), double
/// factorised 7×7 and pooled 1×1 branches: (B, 768, 17, 17) → (B, 768, 17, 17). FID-specific, as in
/// <see cref="FidInceptionA"/>: the branch pool's average ignores the zero padding.
/// </summary>
internal sealed class FidInceptionC : nn.Module<Tensor, Tensor>
{
    private readonly InceptionConv branch1x1;
    private readonly InceptionConv branch7x7_1;
    private readonly InceptionConv branch7x7_2;
    private readonly InceptionConv branch7x7_3;
    private readonly InceptionConv branch7x7dbl_1;
    private readonly InceptionConv branch7x7dbl_2;
    private readonly InceptionConv branch7x7dbl_3;
    private readonly InceptionConv branch7x7dbl_4;
    private readonly InceptionConv branch7x7dbl_5;
    private readonly InceptionConv branch_pool;

    public FidInceptionC(long inChannels, long channels7x7) : base(nameof(FidInceptionC))
    {
        var c7 = channels7x7;
        branch1x1 = new InceptionConv(inChannels, 192, 1);
        branch7x7_1 = new InceptionConv(inChannels, c7, 1);
        branch7x7_2 = InceptionConv.Rectangular(c7, c7, 1, 7);
        branch7x7_3 = InceptionConv.Rectangular(c7, 192, 7, 1);
        branch7x7dbl_1 = new InceptionConv(inChannels, c7, 1);
        branch7x7dbl_2 = InceptionConv.Rectangular(c7, c7, 7, 1);
        branch7x7dbl_3 = InceptionConv.Rectangular(c7, c7, 1, 7);
        branch7x7dbl_4 = InceptionConv.Rectangular(c7, c7, 7, 1);
        branch7x7dbl_5 = InceptionConv.Rectangular(c7, 192, 1, 7);
        branch_pool = new InceptionConv(inChannels, 192, 1);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, 768, H, W)
        using var scope = NewDisposeScope();
        var b1 = branch1x1.call(x);                                                      // (B, 192, H, W)
        var b7 = branch7x7_3.call(branch7x7_2.call(branch7x7_1.call(x)));                // (B, 192, H, W)
        var bd = branch7x7dbl_1.call(x);                                                 // (B, c7, H, W)
        bd = branch7x7dbl_3.call(branch7x7dbl_2.call(bd));
        bd = branch7x7dbl_5.call(branch7x7dbl_4.call(bd));                               // (B, 192, H, W)
        var pooled = F.avg_pool2d(x, 3, stride: 1, padding: 1, count_include_pad: false);
        var bp = branch_pool.call(pooled);                                               // (B, 192, H, W)
        return cat(new[] { b1, b7, bd, bp }, 1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var conv in new[] { branch1x1, branch7x7_1, branch7x7_2, branch7x7_3, branch7x7dbl_1, branch7x7dbl_2, branch7x7dbl_3, branch7x7dbl_4, branch7x7dbl_5, branch_pool })
            {
                conv.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
