using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Numerics;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// The input pipeline of the ImageNet ResNet-18: RGB images (B, 3, H, W) in [0, 1] → bilinear resize to 224×224 →
/// 0–255 scale → what ResNetPreprocess.onnx does (channels reordered RGB → BGR, then a per-pixel ImageNet mean image
/// subtracted) → (B, 3, 224, 224) for <see cref="ResNet18Backbone"/>. The channel order and the mean image are read
/// from ResNetPreprocess.onnx, not written here.
/// <para>
/// Resize: bilinear, align_corners = false, antialiased. Histopathology tiles are usually larger than 224 (256, 512);
/// without antialiasing, shrinking 512 → 224 samples about every other pixel and aliases the nuclei texture the
/// features are meant to describe. Antialiasing makes the shrink average like PIL's or ImageSharp's bilinear
/// resampling; it changes nothing when enlarging. The resize is differentiable, so the module can sit in front of
/// a fine-tuned backbone.
/// </para>
/// </summary>
public sealed class ResNetPreprocessing : nn.Module<Tensor, Tensor>
{
    private readonly Tensor meanImage;                                                   // (1, 3, 224, 224), network order, 0–255
    private readonly long[] channelOrder;                                                // network channel c ← input channel channelOrder[c]

    private ResNetPreprocessing(Tensor meanImage, long[] channelOrder) : base(nameof(ResNetPreprocessing))
    {
        // A plain field, not a buffer: the constant belongs to the ONNX file, not to a checkpoint of a model that uses
        // it, and it follows the images' device and dtype in FromPixels.
        this.meanImage = meanImage;
        this.channelOrder = channelOrder;
    }

    /// <summary>For ResNetPreprocess.onnx: [2, 1, 0], the network's first channel is the input's blue one.</summary>
    public IReadOnlyList<long> ChannelOrder => channelOrder;

    /// <summary>
    /// Reads the channel order and the mean image from ResNetPreprocess.onnx (without a path, the copy next to the
    /// assemblies). The graph must be exactly Split(channels) → Concat(permuted) → Sub(mean image).
    /// </summary>
    public static ResNetPreprocessing Load(string? onnxPath = null)
    {
        var graph = OnnxGraph.Load(onnxPath ?? DnnImageModelFiles.DefaultPreprocessPath, "ResNet-18 preprocessing (ResNetPreprocess.onnx)");
        if (graph.Nodes.Count != 3 || graph.Nodes[0].OpType != "Split" || graph.Nodes[1].OpType != "Concat" || graph.Nodes[2].OpType != "Sub")
        {
            throw graph.Error($"expected the nodes Split, Concat, Sub, found {string.Join(", ", graph.Nodes.Select(n => n.OpType))}");
        }
        var (split, concat, sub) = (graph.Nodes[0], graph.Nodes[1], graph.Nodes[2]);
        if (OnnxGraph.Int(split, "axis", 0) != 1 || split.Output.Count != 3 || OnnxGraph.Int(concat, "axis", 0) != 1
            || !OnnxGraph.Ints(split, "split", new long[] { 1, 1, 1 }).SequenceEqual(new long[] { 1, 1, 1 }))
        {
            throw graph.Error("expected the Split and the Concat to work on the channel axis, one channel each");
        }
        var order = concat.Input.Select(name => (long)split.Output.IndexOf(name)).ToArray();
        if (order.Length != 3 || order.Contains(-1) || order.Distinct().Count() != 3)
        {
            throw graph.Error($"expected the Concat to reorder the three outputs of the Split, found inputs {string.Join(", ", concat.Input)}");
        }
        if (sub.Input.Count != 2 || sub.Input[0] != concat.Output[0] || !graph.Outputs.SequenceEqual(new[] { sub.Output[0] }))
        {
            throw graph.Error("expected the graph's output to be the reordered channels minus the mean image");
        }
        var mean = graph.Take(sub.Input[1], new long[] { 1, 3, ResNet18Backbone.InputSize, ResNet18Backbone.InputSize });
        // Owned by the module, not by a dispose scope the caller may be in.
        return new ResNetPreprocessing(mean.DetachFromDisposeScope(), order);
    }

    /// <summary>Images (B, 3, H, W), RGB in [0, 1] → the backbone's input (B, 3, 224, 224).</summary>
    public override Tensor forward(Tensor images)
    {
        if (images.dim() != 4 || images.shape[1] != 3)
        {
            throw new ArgumentException($"ResNetPreprocessing expects RGB images (B, 3, H, W), got ({string.Join(", ", images.shape)}).", nameof(images));
        }
        using var scope = NewDisposeScope();
        var resized = ImageBatch.ResizeBilinear(images, ResNet18Backbone.InputSize, antialias: true); // (B, 3, 224, 224)
        return FromPixels(resized.mul(Scalars.Of(255.0))).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Exactly ResNetPreprocess.onnx: RGB pixels on the 0–255 scale (B, 3, 224, 224) → reordered channels minus the
    /// mean image (B, 3, 224, 224).
    /// </summary>
    public Tensor FromPixels(Tensor rgb255)
    {
        if (rgb255.dim() != 4 || rgb255.shape[1] != 3 || rgb255.shape[2] != ResNet18Backbone.InputSize || rgb255.shape[3] != ResNet18Backbone.InputSize)
        {
            throw new ArgumentException($"ResNetPreprocessing.FromPixels expects (B, 3, {ResNet18Backbone.InputSize}, {ResNet18Backbone.InputSize}), got ({string.Join(", ", rgb255.shape)}).", nameof(rgb255));
        }
        using var scope = NewDisposeScope();
        using var order = tensor(channelOrder, device: rgb255.device);
        var reordered = rgb255.index_select(1, order);                                   // (B, 3, 224, 224), network order
        var mean = meanImage.to(reordered.dtype, reordered.device);                      // (1, 3, 224, 224); a new handle, freed with the scope
        return (reordered - mean).MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            meanImage.Dispose();
        }
        base.Dispose(disposing);
    }
}
