using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// Mixed_7a of Inception-V3 (torchvision's InceptionD, unchanged in the FID network): halves the resolution with a
/// 1×1 → strided 3×3 branch, a 1×1 → 1×7 → 7×1 → strided 3×3 branch and a max pool:
/// (B, 768, 17, 17) → (B, 1280, 8, 8).
/// </summary>
internal sealed class InceptionD : nn.Module<Tensor, Tensor>
{
    private readonly InceptionConv branch3x3_1;
    private readonly InceptionConv branch3x3_2;
    private readonly InceptionConv branch7x7x3_1;
    private readonly InceptionConv branch7x7x3_2;
    private readonly InceptionConv branch7x7x3_3;
    private readonly InceptionConv branch7x7x3_4;

    public InceptionD(long inChannels) : base(nameof(InceptionD))
    {
        branch3x3_1 = new InceptionConv(inChannels, 192, 1);
        branch3x3_2 = new InceptionConv(192, 320, 3, stride: 2);
        branch7x7x3_1 = new InceptionConv(inChannels, 192, 1);
        branch7x7x3_2 = InceptionConv.Rectangular(192, 192, 1, 7);
        branch7x7x3_3 = InceptionConv.Rectangular(192, 192, 7, 1);
        branch7x7x3_4 = new InceptionConv(192, 192, 3, stride: 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, Cin, H, W); H' = (H − 3) / 2 + 1
        using var scope = NewDisposeScope();
        var b3 = branch3x3_2.call(branch3x3_1.call(x));                                  // (B, 320, H', W')
        var b7 = branch7x7x3_2.call(branch7x7x3_1.call(x));
        b7 = branch7x7x3_4.call(branch7x7x3_3.call(b7));                                 // (B, 192, H', W')
        var bp = F.max_pool2d(x, 3, stride: 2);                                          // (B, Cin, H', W')
        return cat(new[] { b3, b7, bp }, 1).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var conv in new[] { branch3x3_1, branch3x3_2, branch7x7x3_1, branch7x7x3_2, branch7x7x3_3, branch7x7x3_4 })
            {
                conv.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
