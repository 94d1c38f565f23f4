using System;
using System.Collections.Generic;
using System.Linq;
using Onnx;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// Copies the weights of ResNet18.onnx into <see cref="ResNet18Backbone"/>: the graph's Conv nodes, in file order,
/// pair one to one with the network's convolutions, and each Conv's single consumer is its BatchNormalization. Every
/// convolution's stride, padding, group and kernel shape, and every batch norm's ε, is checked against the network's,
/// and every initialiser of the file must be used: a file with another layout is refused, naming what differs, rather
/// than loaded into the wrong places.
/// </summary>
internal static class ResNet18OnnxWeights
{
    // The batch-norm ε of the network (TorchSharp's default, which the CNTK export also uses).
    private const float Epsilon = 1e-5f;

    public static void CopyInto(OnnxGraph graph, IReadOnlyList<OnnxConvUnit> units)
    {
        var convolutions = graph.Nodes.Where(n => n.OpType == "Conv").ToArray();
        if (convolutions.Length != units.Count)
        {
            throw graph.Error($"the graph has {convolutions.Length} convolutions; the CNTK ResNet-18 layout (blocks [2, 2, 2, 3]) has {units.Count}");
        }
        for (var i = 0; i < units.Count; i++)
        {
            Copy(graph, convolutions[i], units[i]);
        }
        var untaken = graph.Untaken;
        if (untaken.Count > 0)
        {
            throw graph.Error($"{untaken.Count} of its {graph.InitializerCount} weights do not belong to the ResNet-18 layout: {string.Join(", ", untaken.Take(5))}");
        }
    }

    private static void Copy(OnnxGraph graph, NodeProto conv, OnnxConvUnit unit)
    {
        var name = conv.Output[0];
        var strides = OnnxGraph.Ints(conv, "strides", new long[] { 1, 1 });
        var pads = OnnxGraph.Ints(conv, "pads", new long[] { 0, 0, 0, 0 });
        var dilations = OnnxGraph.Ints(conv, "dilations", new long[] { 1, 1 });
        var group = OnnxGraph.Int(conv, "group", 1);
        var autoPad = conv.Attribute.FirstOrDefault(a => a.Name == "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        if (conv.Input.Count != 2)
        {
            throw graph.Error($"the convolution '{name}' has {conv.Input.Count} inputs; the layout's convolutions have a weight and no bias");
        }
        if (!strides.SequenceEqual(new[] { unit.Stride, unit.Stride }) || !pads.SequenceEqual(unit.Pads)
            || !dilations.SequenceEqual(new long[] { 1, 1 }) || group != 1 || autoPad != "NOTSET")
        {
            throw graph.Error($"the convolution '{name}' has strides [{string.Join(", ", strides)}], pads [{string.Join(", ", pads)}], dilations [{string.Join(", ", dilations)}], group {group}, auto_pad {autoPad}; the layout expects strides [{unit.Stride}, {unit.Stride}], pads [{string.Join(", ", unit.Pads)}], no dilation, group 1");
        }

        var norm = graph.SoleConsumer(name, "BatchNormalization");
        var epsilon = OnnxGraph.Float(norm, "epsilon", 1e-5f);
        if (Math.Abs(epsilon - Epsilon) > 1e-9f || OnnxGraph.Int(norm, "spatial", 1) != 1 || norm.Input.Count != 5)
        {
            throw graph.Error($"the batch norm after '{name}' has ε {epsilon} or is not a per-channel batch norm with scale, bias, mean and variance; the layout expects ε {Epsilon}");
        }

        var channels = unit.Norm.RunningMean.shape;
        using var weight = graph.Take(conv.Input[1], unit.Conv.weight!.shape);
        using var scale = graph.Take(norm.Input[1], channels);
        using var bias = graph.Take(norm.Input[2], channels);
        using var mean = graph.Take(norm.Input[3], channels);
        using var variance = graph.Take(norm.Input[4], channels);
        using (no_grad())
        {
            unit.Conv.weight!.copy_(weight);
            unit.Norm.Weight.copy_(scale);
            unit.Norm.Bias.copy_(bias);
            unit.Norm.RunningMean.copy_(mean);
            unit.Norm.RunningVar.copy_(variance);
        }
    }
}
