using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Blocks;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// The ImageNet ResNet-18 of Microsoft.ML.DnnImageFeaturizer.ResNet18 (ResNet18.onnx, a CNTK 2.6 export) in
/// TorchSharp: preprocessed images (B, 3, 224, 224) → pooled features (B, 512). The layout is the ONNX graph's, which
/// differs from torchvision's ResNet-18: the last stage has three residual blocks ([2, 2, 2, 3]), and strided
/// convolutions and the max pool pad asymmetrically (top/left only). Batch norm is real batch norm (scale, bias,
/// running mean and variance, ε = 1e-5), not folded into the convolutions, so the network fine-tunes like any other:
/// every weight is an ordinary parameter, the running statistics are buffers.
/// </summary>
public sealed class ResNet18Backbone : nn.Module<Tensor, Tensor>
{
    /// <summary>Width of the pooled features.</summary>
    public const int FeatureWidth = 512;

    /// <summary>The input size the ImageNet weights were trained at (<see cref="ResNetPreprocessing"/> resizes to it).</summary>
    public const int InputSize = 224;

    private static readonly int[] StageBlocks = { 2, 2, 2, 3 };
    private static readonly int[] StageWidths = { 64, 128, 256, 512 };

    private readonly Conv2d conv1;
    private readonly SynchronisedBatchNorm2d bn1;
    private readonly ModuleList<ResNetBasicBlock> layer1;
    private readonly ModuleList<ResNetBasicBlock> layer2;
    private readonly ModuleList<ResNetBasicBlock> layer3;
    private readonly ModuleList<ResNetBasicBlock> layer4;

    /// <summary>A randomly initialised network with the ONNX layout; <see cref="LoadImageNet"/> gives the ImageNet one.</summary>
    public ResNet18Backbone() : base(nameof(ResNet18Backbone))
    {
        // The stem's padding comes from forward: the ONNX graph pads it [3, 3, 2, 2].
        conv1 = nn.Conv2d(3, 64, 7, stride: 2, padding: 0L, bias: false);
        bn1 = new SynchronisedBatchNorm2d(64, synchronise: false);   // as ResNetBasicBlock's: nn.BatchNorm2d without temporary Scalars
        layer1 = Stage(0);
        layer2 = Stage(1);
        layer3 = Stage(2);
        layer4 = Stage(3);
        RegisterComponents();
    }

    /// <summary>Residual blocks per stage: [2, 2, 2, 3], one more in the last stage than torchvision's ResNet-18.</summary>
    public static IReadOnlyList<int> BlocksPerStage => StageBlocks;

    /// <summary>
    /// The network with every weight of ResNet18.onnx, read with OnnxSharp, in evaluation mode. Without a path, the copy
    /// the build put next to the assemblies. A missing file is a <see cref="System.IO.FileNotFoundException"/>, a damaged
    /// one or one with another layout an <see cref="System.IO.InvalidDataException"/>; both name the file.
    /// </summary>
    public static ResNet18Backbone LoadImageNet(string? onnxPath = null)
    {
        var graph = OnnxGraph.Load(onnxPath ?? DnnImageModelFiles.DefaultResNet18Path, "ImageNet ResNet-18 (ResNet18.onnx)");
        var network = new ResNet18Backbone();
        try
        {
            ResNet18OnnxWeights.CopyInto(graph, network.OnnxUnits().ToArray());
        }
        catch
        {
            network.Dispose();
            throw;
        }
        network.eval();
        return network;
    }

    public override Tensor forward(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
        {
            throw new ArgumentException($"ResNet18Backbone expects preprocessed images (B, 3, {InputSize}, {InputSize}), got ({string.Join(", ", images.shape)}).", nameof(images));
        }
        using var scope = NewDisposeScope();
        // images: (B, 3, H, W), BGR minus the ImageNet mean image, 0–255 scale (see ResNetPreprocessing)
        var x = F.pad(images, new long[] { 3, 2, 3, 2 });                                // (B, 3, H+5, W+5): ONNX pads [3, 3, 2, 2]
        // Every convolution reads channels-last (1×1 ones are matrix products): libtorch's CPU kernels give wrong
        // gradients otherwise on some machines, and fine-tuning back-propagates through here (see MemoryLayout).
        x = F.relu(bn1.call(conv1.call(MemoryLayout.ForConvolution(x))));                // (B, 64, H/2, W/2), NHWC strides
        // Max pool 3×3 stride 2 with ONNX pads [1, 1, 0, 0]; padding with −∞ is what ONNX's max pool means by padding.
        x = F.pad(x, new long[] { 1, 0, 1, 0 }, value: double.NegativeInfinity);         // (B, 64, H/2+1, W/2+1)
        x = F.max_pool2d(x, 3, stride: 2);                                               // (B, 64, H/4, W/4)
        foreach (var stage in new[] { layer1, layer2, layer3, layer4 })
        {
            foreach (var block in stage)
            {
                x = block.call(x);
            }
        }
        // x: (B, 512, H/32, W/32). The graph ends with a 7×7 average pool, which at 224×224 is the mean over the whole
        // 7×7 map; the global mean gives the same there and keeps other input sizes usable.
        return x.mean(new long[] { 2, 3 }).MoveToOuterDisposeScope();                    // (B, 512)
    }

    /// <summary>Every convolution + batch-norm pair in the order of the ONNX graph's Conv nodes.</summary>
    internal IEnumerable<OnnxConvUnit> OnnxUnits()
    {
        yield return new OnnxConvUnit(conv1, bn1, new long[] { 3, 3, 2, 2 }, 2);
        foreach (var stage in new[] { layer1, layer2, layer3, layer4 })
        {
            foreach (var block in stage)
            {
                foreach (var unit in block.OnnxUnits())
                {
                    yield return unit;
                }
            }
        }
    }

    private static ModuleList<ResNetBasicBlock> Stage(int index)
    {
        var blocks = new List<ResNetBasicBlock>();
        var inChannels = index == 0 ? StageWidths[0] : StageWidths[index - 1];
        for (var i = 0; i < StageBlocks[index]; i++)
        {
            // The first block of stages 2–4 halves the resolution and widens the channels.
            var stride = index > 0 && i == 0 ? 2 : 1;
            blocks.Add(new ResNetBasicBlock(i == 0 ? inChannels : StageWidths[index], StageWidths[index], stride));
        }
        return nn.ModuleList(blocks.ToArray());
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            bn1.Dispose();
            foreach (var stage in new[] { layer1, layer2, layer3, layer4 })
            {
                foreach (var block in stage)
                {
                    block.Dispose();
                }
                stage.Dispose();
            }
        }
        base.Dispose(disposing);
    }
}
