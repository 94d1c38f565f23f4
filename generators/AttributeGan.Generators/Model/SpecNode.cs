using System.Collections.Generic;

namespace AttributeGan.Generators.Model;

/// <summary>
/// The YAML document as an immutable, value-equal tree whose every node knows where it came from. Base merging
/// combines trees of several files, so each node keeps its own file in its location.
/// </summary>
internal abstract record SpecNode(LocationInfo Location)
{
    public abstract string KindName { get; }
}

/// <summary>A scalar. <see cref="IsNull"/> for a plain <c>null</c>, <c>~</c> or empty value.</summary>
internal sealed record ScalarNode(string Value, bool IsPlain, LocationInfo Location) : SpecNode(Location)
{
    public bool IsNull => IsPlain && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string KindName => IsNull ? "null" : "a scalar";
}

internal sealed record SequenceNode(EquatableArray<SpecNode> Items, LocationInfo Location) : SpecNode(Location)
{
    public override string KindName => "a list";
}

internal sealed record MappingEntry(ScalarNode Key, SpecNode Value);

internal sealed record MappingNode(EquatableArray<MappingEntry> Entries, LocationInfo Location) : SpecNode(Location)
{
    public override string KindName => "a mapping";

    public MappingEntry? Find(string key)
    {
        foreach (var entry in Entries)
            if (entry.Key.Value == key) return entry;
        return null;
    }

    public IEnumerable<string> Keys
    {
        get
        {
            foreach (var entry in Entries) yield return entry.Key.Value;
        }
    }
}
