using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// Mixed_6a of Inception-V3 (torchvision's InceptionB, unchanged in the FID network): halves the resolution with a
/// strided 3×3 branch, a strided double-3×3 branch and a max pool: (B, 288, 35, 35) → (B, 768, 17, 17).
/// </summary>
internal sealed class InceptionB : nn.Module<Tensor, Tensor>
{
    private readonly InceptionConv branch3x3;
    private readonly InceptionConv branch3x3dbl_1;
    private readonly InceptionConv branch3x3dbl_2;
    private readonly InceptionConv branch3x3dbl_3;

    public InceptionB(long inChannels) : base(nameof(InceptionB))
    {
        branch3x3 = new InceptionConv(inChannels, 384, 3, stride: 2);
        branch3x3dbl_1 = new InceptionConv(inChannels, 64, 1);
        branch3x3dbl_2 = new InceptionConv(64, 96, 3, padding: 1);
        branch3x3dbl_3 = new InceptionConv(96, 96, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, Cin, H, W); H' = (H − 3) / 2 + 1
        using var scope = NewDisposeScope();
        var b3 = branch3x3.call(x);                                                      // (B, 384, H', W')
        var bd = branch3x3dbl_3.call(branch3x3dbl_2.call(branch3x3dbl_1.call(x)));       // (B, 96, H', W')
        var bp = F.max_pool2d(x, 3, stride: 2);                                          // (B, Cin, H', W')
        return cat(new[] { b3, bd, bp }, 1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var conv in new[] { branch3x3, branch3x3dbl_1, branch3x3dbl_2, branch3x3dbl_3 })
            {
                conv.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
