using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Models;

/// <summary>
/// The compiled specs a program knows, by name: what the runtime, the evaluation and the command line look models up
/// in (a run directory names its spec, <c>--model</c> names one). Each project that compiles specs gets a generated
/// <c>ModelCatalog.All</c> in its own namespace; a catalogue is built from that list, so a program works with its own
/// specs, with the ones shipped in this assembly (<see cref="Shipped"/>), or with both (<see cref="With"/>).
/// </summary>
public sealed class SpecCatalog : IReadOnlyList<IGanSpec>
{
    private readonly IGanSpec[] specs;

    /// <param name="specs">Compiled specs, e.g. a generated <c>ModelCatalog.All</c>; names must be unique (case-insensitive).</param>
    /// <param name="defaultModel">
    /// The model a command takes its attributes from when none is named (e.g. <c>synth</c>); default: the first spec.
    /// </param>
    public SpecCatalog(IEnumerable<IGanSpec> specs, IGanSpec? defaultModel = null)
    {
        ArgumentNullException.ThrowIfNull(specs);
        this.specs = specs.ToArray();
        if (this.specs.Length == 0)
            throw new ArgumentException("A model catalogue needs at least one compiled spec: add a YAML spec to the project's specs/ folder.", nameof(specs));
        var clash = this.specs.GroupBy(s => s.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (clash is not null)
            throw new ArgumentException(
                $"Two compiled specs are named '{clash.Key}' ({string.Join(", ", clash.Select(s => s.SourceFile))}); model names must be unique in a catalogue: rename one spec's name:.",
                nameof(specs));
        if (defaultModel is not null && !this.specs.Contains(defaultModel))
            throw new ArgumentException($"The default model '{defaultModel.Name}' is not in the catalogue ({Names}).", nameof(defaultModel));
        Default = defaultModel ?? this.specs[0];
    }

    /// <summary>The specs compiled into AttributeGan.Models from the repository's <c>specs/</c>: the paper's models, ablations and small variants.</summary>
    public static SpecCatalog Shipped { get; } = new(Specs.ModelCatalog.All, Specs.AttributeGan512Spec.Instance);

    /// <summary>The model commands use when none is named.</summary>
    public IGanSpec Default { get; }

    /// <summary>The names, comma-separated, for messages.</summary>
    public string Names => string.Join(", ", specs.Select(s => s.Name));

    public int Count => specs.Length;

    public IGanSpec this[int index] => specs[index];

    /// <summary>The spec named <paramref name="name"/> (case-insensitive), or null.</summary>
    public IGanSpec? Find(string name) => specs.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>This catalogue followed by <paramref name="more"/> (e.g. the shipped specs with a project's own); the default stays.</summary>
    public SpecCatalog With(IEnumerable<IGanSpec> more) => new(specs.Concat(more), Default);

    public IEnumerator<IGanSpec> GetEnumerator() => ((IEnumerable<IGanSpec>)specs).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
