using AttributeGan.Models.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// torchvision's BasicConv2d, the unit of every Inception-V3 block: convolution without bias, batch norm with
/// TensorFlow's ε = 0.001 (the FID weights come from TensorFlow), ReLU. Submodules are named conv and bn, as in the
/// state dict of pt_inception-2015-12-05.
/// </summary>
internal sealed class InceptionConv : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;
    private readonly bool pointwise;

    public InceptionConv(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0)
        : this(inChannels, outChannels, (kernel, kernel), (stride, stride), (padding, padding))
    {
    }

    public InceptionConv(long inChannels, long outChannels, (long, long) kernel, (long, long) stride, (long, long) padding)
        : base(nameof(InceptionConv))
    {
        conv = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, bias: false);
        pointwise = kernel == (1, 1) && stride == (1, 1) && padding == (0, 0);
        // The FID network only runs in eval mode, where BatchNorm.forward makes no Scalar (its temporary is the batch
        // count of training mode): the path AGS003 warns of is never taken.
#pragma warning disable AGS003
        bn = nn.BatchNorm2d(outChannels, eps: 0.001);
#pragma warning restore AGS003
        RegisterComponents();
    }

    /// <summary>A 1×7 / 7×1 style convolution: a (kh, kw) kernel with the "same" padding ((kh − 1) / 2, (kw − 1) / 2).</summary>
    public static InceptionConv Rectangular(long inChannels, long outChannels, long kernelHeight, long kernelWidth) =>
        new(inChannels, outChannels, (kernelHeight, kernelWidth), (1, 1), ((kernelHeight - 1) / 2, (kernelWidth - 1) / 2));

    public override Tensor forward(Tensor x)
    {
        // x: (B, Cin, H, W) → (B, Cout, H', W')
        using var scope = NewDisposeScope();
        // As every convolution of the project: a 1×1 kernel as a matrix product, a larger one on a channels-last input (see MemoryLayout).
        var convolved = pointwise
            ? Pointwise.Apply(conv, x)
            : conv.call(MemoryLayout.ForConvolution(x));
        return nn.functional.relu(bn.call(convolved)).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv.Dispose();
            bn.Dispose();
        }
        base.Dispose(disposing);
    }
}
