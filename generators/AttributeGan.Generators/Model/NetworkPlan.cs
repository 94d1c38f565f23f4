namespace AttributeGan.Generators.Model;

/// <summary>
/// One named layer of a network as it will be built: the building block, its constructor arguments (C# text),
/// and what shape inference says of it (output shape per image, parameters, multiply-accumulates per image).
/// </summary>
internal sealed record LayerPlan(string Field, string Block, EquatableArray<string> Arguments, EquatableArray<long> Shape, long Parameters, long Macs);

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
