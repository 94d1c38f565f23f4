using System;
using AttributeGan.Models.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// The Inception-V3 network of the FID, in pytorch-fid's layout for the weights pt_inception-2015-12-05 (ported from
/// TensorFlow's inception-2015-12-05 graph): torchvision's Inception-V3 without the auxiliary classifier, with
/// pytorch-fid's FID blocks (average pools that ignore padding in Mixed_5b–5d, 6b–6e and 7b, a max pool in 7c) and
/// a 1008-way classifier. <see cref="forward"/> maps (B, 3, 299, 299) in [−1, 1] to the 2048-d pool features FID uses;
/// <see cref="PrepareInput"/> makes that input from RGB images in [0, 1]. Submodule names are the state-dict keys of
/// the standard weight file (Conv2d_1a_3x3.conv.weight, …, Mixed_7c.branch_pool.bn.num_batches_tracked, fc.bias).
/// </summary>
public sealed class FidInceptionV3 : nn.Module<Tensor, Tensor>
{
    /// <summary>Width of the pool features.</summary>
    public const int FeatureWidth = 2048;

    /// <summary>The input size of the reference implementations, which resize every image to it.</summary>
    public const int InputSize = 299;

    /// <summary>Classes of the classifier in the weight file (ImageNet's 1000 plus TensorFlow's 8 unused ones).</summary>
    public const int ClassCount = 1008;

    private readonly InceptionConv Conv2d_1a_3x3;
    private readonly InceptionConv Conv2d_2a_3x3;
    private readonly InceptionConv Conv2d_2b_3x3;
    private readonly InceptionConv Conv2d_3b_1x1;
    private readonly InceptionConv Conv2d_4a_3x3;
    private readonly FidInceptionA Mixed_5b;
    private readonly FidInceptionA Mixed_5c;
    private readonly FidInceptionA Mixed_5d;
    private readonly InceptionB Mixed_6a;
    private readonly FidInceptionC Mixed_6b;
    private readonly FidInceptionC Mixed_6c;
    private readonly FidInceptionC Mixed_6d;
    private readonly FidInceptionC Mixed_6e;
    private readonly InceptionD Mixed_7a;
    private readonly FidInceptionE Mixed_7b;
    private readonly FidInceptionE Mixed_7c;
    // Not used for features; part of the network so that the standard file loads key for key.
    private readonly Linear fc;

    /// <summary>A randomly initialised network; <see cref="Load"/> gives the one with the FID weights.</summary>
    public FidInceptionV3() : base(nameof(FidInceptionV3))
    {
        Conv2d_1a_3x3 = new InceptionConv(3, 32, 3, stride: 2);
        Conv2d_2a_3x3 = new InceptionConv(32, 32, 3);
        Conv2d_2b_3x3 = new InceptionConv(32, 64, 3, padding: 1);
        Conv2d_3b_1x1 = new InceptionConv(64, 80, 1);
        Conv2d_4a_3x3 = new InceptionConv(80, 192, 3);
        Mixed_5b = new FidInceptionA(192, poolFeatures: 32);
        Mixed_5c = new FidInceptionA(256, poolFeatures: 64);
        Mixed_5d = new FidInceptionA(288, poolFeatures: 64);
        Mixed_6a = new InceptionB(288);
        Mixed_6b = new FidInceptionC(768, channels7x7: 128);
        Mixed_6c = new FidInceptionC(768, channels7x7: 160);
        Mixed_6d = new FidInceptionC(768, channels7x7: 160);
        Mixed_6e = new FidInceptionC(768, channels7x7: 192);
        Mixed_7a = new InceptionD(768);
        Mixed_7b = new FidInceptionE(1280, InceptionEPooling.AverageWithoutPadding);
        Mixed_7c = new FidInceptionE(2048, InceptionEPooling.Max);
        fc = nn.Linear(FeatureWidth, ClassCount);
        RegisterComponents();
    }

    /// <summary>
    /// The network with the weights of a PyTorch state-dict file (the standard one is pytorch-fid's
    /// pt_inception-2015-12-05-6726825d.pth), read with TorchSharp.PyBridge, in evaluation mode. The file must hold
    /// exactly this network's keys with these shapes; anything else is refused with a message naming the key.
    /// </summary>
    public static FidInceptionV3 Load(string weightsPath)
    {
        var network = FidInceptionWeights.Load(weightsPath, () => new FidInceptionV3());
        network.eval();
        return network;
    }

    /// <summary>
    /// RGB images (B, 3, H, W) in [0, 1] → the network's input (B, 3, 299, 299) in [−1, 1], as pytorch-fid does it:
    /// bilinear resize with align_corners = false and no antialiasing (matching the reference matters more here than
    /// resampling quality: FID values are only comparable between identical pipelines), then 2x − 1.
    /// </summary>
    public static Tensor PrepareInput(Tensor images)
    {
        using var scope = NewDisposeScope();
        var resized = ImageBatch.ResizeBilinear(images, InputSize, antialias: false);    // (B, 3, 299, 299)
        return resized.mul(Scalars.Of(2.0)).sub(Scalars.Of(1.0)).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 4 || x.shape[1] != 3)
        {
            throw new ArgumentException($"FidInceptionV3 expects (B, 3, {InputSize}, {InputSize}) in [−1, 1], got ({string.Join(", ", x.shape)}).", nameof(x));
        }
        using var scope = NewDisposeScope();
        // x: (B, 3, 299, 299)
        x = Conv2d_1a_3x3.call(x);                                                       // (B, 32, 149, 149)
        x = Conv2d_2a_3x3.call(x);                                                       // (B, 32, 147, 147)
        x = Conv2d_2b_3x3.call(x);                                                       // (B, 64, 147, 147)
        x = F.max_pool2d(x, 3, stride: 2);                                               // (B, 64, 73, 73)
        x = Conv2d_3b_1x1.call(x);                                                       // (B, 80, 73, 73)
        x = Conv2d_4a_3x3.call(x);                                                       // (B, 192, 71, 71)
        x = F.max_pool2d(x, 3, stride: 2);                                               // (B, 192, 35, 35)
        x = Mixed_5d.call(Mixed_5c.call(Mixed_5b.call(x)));                              // (B, 288, 35, 35)
        x = Mixed_6a.call(x);                                                            // (B, 768, 17, 17)
        x = Mixed_6e.call(Mixed_6d.call(Mixed_6c.call(Mixed_6b.call(x))));               // (B, 768, 17, 17)
        x = Mixed_7a.call(x);                                                            // (B, 1280, 8, 8)
        x = Mixed_7c.call(Mixed_7b.call(x));                                             // (B, 2048, 8, 8)
        return x.mean(new long[] { 2, 3 }).MoveToOuterDisposeScope();                    // (B, 2048): the adaptive average pool
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var module in new nn.Module[] { Conv2d_1a_3x3, Conv2d_2a_3x3, Conv2d_2b_3x3, Conv2d_3b_1x1, Conv2d_4a_3x3, Mixed_5b, Mixed_5c, Mixed_5d, Mixed_6a, Mixed_6b, Mixed_6c, Mixed_6d, Mixed_6e, Mixed_7a, Mixed_7b, Mixed_7c, fc })
            {
                module.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
