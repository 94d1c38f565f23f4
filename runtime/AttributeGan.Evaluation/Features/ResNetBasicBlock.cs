using System;
using System.Collections.Generic;
using AttributeGan.Models.Blocks;
using AttributeGan.Models.Numerics;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// A ResNet basic block laid out as in the CNTK export of the ImageNet ResNet-18: 3×3 convolution, batch norm, ReLU,
/// 3×3 convolution, batch norm, plus the shortcut, then ReLU. A block that halves the resolution has a 1×1 stride-2
/// convolution + batch norm as its shortcut. Parameter names follow torchvision (conv1, bn1, conv2, bn2,
/// downsample.0, downsample.1) so that checkpoints read like any other ResNet's.
/// </summary>
internal sealed class ResNetBasicBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly SynchronisedBatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly SynchronisedBatchNorm2d bn2;
    private readonly Conv2d? downsampleConv;
    private readonly SynchronisedBatchNorm2d? downsampleNorm;
    private readonly Sequential? downsample;
    private readonly long stride;

    public ResNetBasicBlock(long inChannels, long outChannels, long stride) : base(nameof(ResNetBasicBlock))
    {
        if (stride != 1 && stride != 2)
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, "A ResNet basic block has stride 1 or 2.");
        }
        this.stride = stride;
        // A strided 3×3 convolution gets its padding from forward (see there); an unstrided one pads 1 on every side.
        conv1 = nn.Conv2d(inChannels, outChannels, 3, stride: stride, padding: stride == 1 ? 1L : 0L, bias: false);
        // nn.BatchNorm2d's computation and names; its forward makes temporary Scalars in training (the classifier fine-tunes).
        bn1 = new SynchronisedBatchNorm2d(outChannels, synchronise: false);
        conv2 = nn.Conv2d(outChannels, outChannels, 3, padding: 1, bias: false);
        bn2 = new SynchronisedBatchNorm2d(outChannels, synchronise: false);
        register_module("conv1", conv1);
        register_module("bn1", bn1);
        register_module("conv2", conv2);
        register_module("bn2", bn2);
        if (stride != 1 || inChannels != outChannels)
        {
            downsampleConv = nn.Conv2d(inChannels, outChannels, 1, stride: stride, bias: false);
            downsampleNorm = new SynchronisedBatchNorm2d(outChannels, synchronise: false);
            // torchvision's names (a Sequential of two) while keeping typed fields for the weight loader.
            downsample = nn.Sequential(("0", downsampleConv), ("1", downsampleNorm));
            register_module("downsample", downsample);
        }
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, Cin, H, W)
        using var scope = NewDisposeScope();
        // CNTK's "same" padding of a stride-2 3×3 convolution is asymmetric: ONNX pads [1, 1, 0, 0], i.e. one row on
        // top and one column on the left, none at the bottom and right. For sizes divisible by the network's stride it
        // equals symmetric padding; padding explicitly keeps every input size equal to the ONNX graph.
        var padded = stride == 1 ? x : F.pad(x, new long[] { 1, 0, 1, 0 });             // (B, Cin, H+1, W+1) when strided
        // Convolutions as the backbone runs them all (see ResNet18Backbone): channels-last, the 1×1 one a matrix product.
        var main = F.relu(bn1.call(conv1.call(MemoryLayout.ForConvolution(padded))));    // (B, Cout, H/s, W/s)
        main = bn2.call(conv2.call(MemoryLayout.ForConvolution(main)));                  // (B, Cout, H/s, W/s)
        var shortcut = downsampleConv is null ? x : downsampleNorm!.call(Downsample(x)); // (B, Cout, H/s, W/s)
        return F.relu(main.add(shortcut, Scalars.One)).MoveToOuterDisposeScope();
    }

    /// <summary>The shortcut's 1×1 convolution with stride s: every s-th row and column, then a matrix product.</summary>
    private Tensor Downsample(Tensor x)
    {
        var step = TensorIndex.Slice(null, null, stride);
        return Pointwise.Apply(downsampleConv!, x[TensorIndex.Colon, TensorIndex.Colon, step, step]);   // (B, Cout, H/s, W/s)
    }

    /// <summary>
    /// The convolution + batch-norm pairs in the order the CNTK graph lists them (the shortcut before the main path),
    /// each with the ONNX padding [top, left, bottom, right] and stride the graph must give it.
    /// </summary>
    internal IEnumerable<OnnxConvUnit> OnnxUnits()
    {
        var strided = stride == 1 ? new long[] { 1, 1, 1, 1 } : new long[] { 1, 1, 0, 0 };
        if (downsampleConv is not null)
        {
            yield return new OnnxConvUnit(downsampleConv, downsampleNorm!, new long[] { 0, 0, 0, 0 }, stride);
        }
        yield return new OnnxConvUnit(conv1, bn1, strided, stride);
        yield return new OnnxConvUnit(conv2, bn2, new long[] { 1, 1, 1, 1 }, 1);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            conv2.Dispose();
            bn2.Dispose();
            downsampleConv?.Dispose();
            downsampleNorm?.Dispose();
            downsample?.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>A convolution (no bias) followed by batch norm, as one Conv → BatchNormalization pair of the ONNX graph.</summary>
internal sealed record OnnxConvUnit(Conv2d Conv, SynchronisedBatchNorm2d Norm, long[] Pads, long Stride);
