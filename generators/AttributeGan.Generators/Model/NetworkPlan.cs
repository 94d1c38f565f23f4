namespace AttributeGan.Generators.Model;

/// <summary>What a layer is for, and so on which passes it runs; mirrors <c>AttributeGan.Models.LayerRole</c>.</summary>
internal enum LayerRole { Trunk, Conditioning, Contrastive, Reconstruction, Classifier }

/// <summary>
/// One node of a network's dataflow graph as it will be built: the building block and its named constructor arguments
/// (C# text), the tensors its forward reads (<see cref="Inputs"/>: C# expressions over earlier outputs and the
/// network's own inputs) and the variable it writes (<see cref="Output"/>, declared by its first writer), its role, and
/// what shape inference says of it (output shape per image, parameters, multiply-accumulates per image).
/// </summary>
internal sealed record LayerPlan(
    string Field,
    string Block,
    LayerRole Role,
    EquatableArray<string> Arguments,
    EquatableArray<string> Inputs,
    string Output,
    bool Declares,
    EquatableArray<long> Shape,
    long Parameters,
    long Macs);

/// <summary>A network as an ordered graph: every layer's inputs are written by a layer before it (or are the network's inputs).</summary>
internal sealed record NetworkPlan(EquatableArray<LayerPlan> Layers)
{
    public long Parameters
    {
        get
        {
            long total = 0;
            foreach (var layer in Layers) total = checked(total + layer.Parameters);
            return total;
        }
    }

    public long Macs
    {
        get
        {
            long total = 0;
            foreach (var layer in Layers) total = checked(total + layer.Macs);
            return total;
        }
    }
}

/// <summary>A spec with both networks planned: what the emitter turns into C#.</summary>
internal sealed record CompiledSpec(SpecModel Spec, NetworkPlan Generator, NetworkPlan Discriminator);
