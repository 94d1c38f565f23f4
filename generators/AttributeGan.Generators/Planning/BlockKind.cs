using System;
using System.Globalization;
using System.Linq;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Planning;

/// <summary>
/// Where a layer sits in the dataflow graph: the tensors its forward reads (C# expressions over earlier outputs and the
/// network's inputs) and the variable it writes, declared by its first writer.
/// </summary>
internal sealed class Wire
{
    private Wire(string output, bool declares, string[] inputs) => (Output, Declares, Inputs) = (output, declares, inputs);

    public string Output { get; }

    public bool Declares { get; }

    public string[] Inputs { get; }

    /// <summary>The layer writes a new variable: <c>var output = layer.call(inputs)</c>.</summary>
    public static Wire Declare(string output, params string[] inputs) => new(output, true, inputs);

    /// <summary>The layer overwrites a variable an earlier layer (or the emitter) declared: <c>output = layer.call(inputs)</c>.</summary>
    public static Wire Assign(string output, params string[] inputs) => new(output, false, inputs);
}

/// <summary>
/// One kind of building block as the compiler knows it: its C# type in <c>AttributeGan.Models.Blocks</c>, its
/// constructor's parameter names (declaration order, optional ones included), its forward's tensor parameters and its
/// role. <c>BlockCatalogTests</c> hold every entry against the real type by reflection, so a renamed or reordered
/// parameter fails a test, not a training run.
/// </summary>
internal sealed class BlockKind
{
    public BlockKind(string type, LayerRole role, string[] parameters, string[] inputs)
    {
        Type = type;
        Role = role;
        Parameters = parameters.ToEquatableArray();
        Inputs = inputs.ToEquatableArray();
    }

    public string Type { get; }

    public LayerRole Role { get; }

    public EquatableArray<string> Parameters { get; }

    public EquatableArray<string> Inputs { get; }

    /// <summary>
    /// A node of this kind. Arguments become named C# arguments (<c>inChannels: 64</c>), so a block whose parameter is
    /// renamed or removed fails to compile the generated code instead of silently taking a value meant for another.
    /// An argument or input count the entry does not declare is a compiler defect: it throws, and the generator turns
    /// it into an internal-error diagnostic.
    /// </summary>
    public LayerPlan Layer(string field, Wire wire, (string Name, object Value)[] arguments, long[] shape, long parameters, long macs)
    {
        foreach (var (name, _) in arguments)
            if (!Parameters.Contains(name)) throw new InvalidOperationException($"block catalogue: {Type} has no constructor parameter '{name}'");
        if (wire.Inputs.Length != Inputs.Count)
            throw new InvalidOperationException($"block catalogue: {Type}.forward takes {Inputs.Count} tensor(s), the plan passes {wire.Inputs.Length}");
        var named = arguments.Select(a => a.Name + ": " + Convert.ToString(a.Value, CultureInfo.InvariantCulture)).ToEquatableArray();
        return new LayerPlan(field, Type, Role, named, wire.Inputs.ToEquatableArray(), wire.Output, wire.Declares, shape.ToEquatableArray(), parameters, macs);
    }
}
