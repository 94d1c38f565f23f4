using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// An ONNX file read with OnnxSharp, for copying its weights into a TorchSharp module: the nodes in file order and
/// the float initialisers by name. Every problem is an <see cref="InvalidDataException"/> naming the file, and the
/// initialisers taken are tracked so that a loader can prove it used every weight the file has.
/// </summary>
internal sealed class OnnxGraph
{
    private readonly Dictionary<string, TensorProto> initializers;
    private readonly HashSet<string> taken = new(StringComparer.Ordinal);

    private OnnxGraph(string path, GraphProto graph)
    {
        Path = path;
        Nodes = graph.Node.ToArray();
        Outputs = graph.Output.Select(o => o.Name).ToArray();
        initializers = new Dictionary<string, TensorProto>(StringComparer.Ordinal);
        foreach (var initializer in graph.Initializer)
        {
            if (!initializers.TryAdd(initializer.Name, initializer))
            {
                throw Error($"the initializer '{initializer.Name}' appears twice");
            }
        }
    }

    public string Path { get; }

    public IReadOnlyList<NodeProto> Nodes { get; }

    /// <summary>Names of the graph's outputs.</summary>
    public IReadOnlyList<string> Outputs { get; }

    public int InitializerCount => initializers.Count;

    /// <summary>Initialisers no <see cref="Take"/> asked for, in name order.</summary>
    public IReadOnlyList<string> Untaken => initializers.Keys.Where(k => !taken.Contains(k)).OrderBy(k => k, StringComparer.Ordinal).ToArray();

    /// <summary>Parses <paramref name="path"/>; <paramref name="description"/> says what the file is, for the messages.</summary>
    public static OnnxGraph Load(string path, string description)
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The {description} '{path}' does not exist. It ships in the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18, which the build copies next to the assemblies; rebuild, or pass the file's path.", path);
        }
        ModelProto model;
        try
        {
            // Opened for reading, shared: OnnxSharp's ParseFromFile opens the file read-write, which on Linux takes an
            // exclusive lock, so a second process loading the same network at that moment (two evaluations started
            // together, e.g. scripts/ablation-64.sh's lanes) failed with "being used by another process".
            using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            model = ModelProto.Parser.ParseFrom(file);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{path}: not a readable ONNX model ({description}): {e.Message}", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
        {
            throw new InvalidDataException($"{path}: not a readable ONNX model ({description}): it has no graph nodes.");
        }
        return new OnnxGraph(path, model.Graph);
    }

    public InvalidDataException Error(string message) => new($"{Path}: {message}");

    /// <summary>The float initialiser <paramref name="name"/> as a float32 tensor, which must have <paramref name="shape"/>.</summary>
    public Tensor Take(string name, ReadOnlySpan<long> shape)
    {
        if (!initializers.TryGetValue(name, out var proto))
        {
            throw Error($"the graph uses the weight '{name}', which the file does not contain");
        }
        if (!proto.Dims.SequenceEqual(shape.ToArray()))
        {
            throw Error($"the weight '{name}' has shape [{string.Join(", ", proto.Dims)}], expected [{string.Join(", ", shape.ToArray())}]");
        }
        if (proto.DataType != (int)TensorProto.Types.DataType.Float)
        {
            throw Error($"the weight '{name}' is of ONNX data type {proto.DataType}, expected float (1)");
        }
        var count = shape.ToArray().Aggregate(1L, (a, b) => a * b);
        float[] values;
        if (proto.FloatData.Count > 0)
        {
            values = proto.FloatData.ToArray();
        }
        else
        {
            // raw_data is little-endian IEEE 754, as the ONNX spec requires.
            if (!BitConverter.IsLittleEndian)
            {
                throw Error("raw ONNX tensor data can only be read on a little-endian machine");
            }
            values = MemoryMarshal.Cast<byte, float>(proto.RawData.Span).ToArray();
        }
        if (values.Length != count)
        {
            throw Error($"the weight '{name}' holds {values.Length} values, its shape [{string.Join(", ", proto.Dims)}] needs {count} (the file is damaged)");
        }
        taken.Add(name);
        return torch.tensor(values, shape.ToArray(), ScalarType.Float32);
    }

    /// <summary>The node that reads <paramref name="output"/>, which must be the only one and of type <paramref name="opType"/>.</summary>
    public NodeProto SoleConsumer(string output, string opType)
    {
        var consumers = Nodes.Where(n => n.Input.Contains(output)).ToArray();
        if (consumers.Length != 1 || consumers[0].OpType != opType)
        {
            var found = consumers.Length == 0 ? "no node" : string.Join(", ", consumers.Select(n => n.OpType));
            throw Error($"expected one {opType} node reading '{output}', found {found}");
        }
        return consumers[0];
    }

    public static long[] Ints(NodeProto node, string attribute, long[] absent)
    {
        var found = node.Attribute.FirstOrDefault(a => a.Name == attribute);
        return found is null ? absent : found.Ints.ToArray();
    }

    public static long Int(NodeProto node, string attribute, long absent)
    {
        var found = node.Attribute.FirstOrDefault(a => a.Name == attribute);
        return found is null ? absent : found.I;
    }

    public static float Float(NodeProto node, string attribute, float absent)
    {
        var found = node.Attribute.FirstOrDefault(a => a.Name == attribute);
        return found is null ? absent : found.F;
    }
}
