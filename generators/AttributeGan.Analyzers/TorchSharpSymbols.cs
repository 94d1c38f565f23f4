using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AttributeGan.Analyzers;

/// <summary>
/// One compilation's view of <see cref="TorchSharpScalarMembers"/>: which symbols are on the lists, cached per symbol
/// (documentation IDs are strings built on demand, and the same few members are called everywhere).
/// </summary>
internal sealed class TorchSharpSymbols
{
    private static readonly HashSet<string> Returning = new(TorchSharpScalarMembers.MembersReturningNewScalars, StringComparer.Ordinal);
    private static readonly HashSet<string> Members = new(TorchSharpScalarMembers.MembersMakingScalars, StringComparer.Ordinal);
    private static readonly HashSet<string> Types = new(TorchSharpScalarMembers.TypesWithOverridesMakingScalars, StringComparer.Ordinal);

    private readonly ConcurrentDictionary<IMethodSymbol, string?> memberIds = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> returning = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, TypeFinding?> typeFindings = new(SymbolEqualityComparer.Default);

    public TorchSharpSymbols(INamedTypeSymbol scalar) => Scalar = scalar;

    public INamedTypeSymbol Scalar { get; }

    /// <summary>The documentation ID of a listed TorchSharp method (AGS002), or null.</summary>
    public string? ListedMember(IMethodSymbol? method)
    {
        if (method is null) return null;
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (!IsTorchSharp(method)) return null;
        return memberIds.GetOrAdd(method, m => m.GetDocumentationCommentId() is { } id && Members.Contains(id) ? id : null);
    }

    /// <summary>
    /// A TorchSharp member that returns a new Scalar the caller must hold (AGS001): <c>ScalarExtensionMethods.ToScalar</c>
    /// and its <c>To*Scalar</c> siblings, <c>Tensor.ToScalar()</c>.
    /// </summary>
    public bool ReturnsNewScalar(IMethodSymbol method)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        return IsTorchSharp(method) && returning.GetOrAdd(method, m => m.GetDocumentationCommentId() is { } id && Returning.Contains(id));
    }

    /// <summary>A user-defined conversion declared by Scalar itself (op_Implicit from a number, a tuple, a Complex …).</summary>
    public bool IsScalarConversion(IMethodSymbol? conversion) =>
        conversion is not null && SymbolEqualityComparer.Default.Equals(conversion.ContainingType, Scalar);

    /// <summary>
    /// AGS003: what creating <paramref name="type"/> brings in, or null: the nearest listed TorchSharp type among it and
    /// its bases, and the overrides that still make Scalars (an override in a class between, such as ScalarSafe.Adam's
    /// step, takes them off).
    /// </summary>
    public TypeFinding? ListedType(ITypeSymbol? type) => type is null ? null : typeFindings.GetOrAdd(type, Find);

    private TypeFinding? Find(ITypeSymbol type)
    {
        var chain = Chain(type).ToList();
        var listed = chain.FirstOrDefault(t => IsTorchSharp(t) && t.GetDocumentationCommentId() is { } id && Types.Contains(id));
        if (listed is null) return null;
        var listedId = listed.GetDocumentationCommentId()!;
        var making = MostDerivedOverrides(Chain(listed)).Where(m => ListedMember(m) is not null).ToList();
        // Not visible (an internal base's override): the list says the type makes Scalars; nothing here can undo it.
        if (making.Count == 0) return new TypeFinding(listedId, "overridden members");
        var overridden = MostDerivedOverrides(chain);
        var remaining = making.Where(m => overridden.Contains(m, SymbolEqualityComparer.Default)).ToList();
        if (remaining.Count == 0) return null;
        var names = remaining.Select(m => m.AssociatedSymbol?.Name ?? m.Name).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        var shown = names.Count <= 4 ? string.Join("/", names) : string.Join("/", names.Take(4)) + $" (and {names.Count - 4} more)";
        return new TypeFinding(listedId, shown);
    }

    /// <summary>For each overridden virtual member, the override the most derived type in the chain dispatches to.</summary>
    private static List<IMethodSymbol> MostDerivedOverrides(IEnumerable<INamedTypeSymbol> chain)
    {
        var seen = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var result = new List<IMethodSymbol>();
        foreach (var type in chain)
        {
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(m => m.IsOverride))
            {
                if (seen.Add(Root(method))) result.Add(method.OriginalDefinition);
            }
        }
        return result;
    }

    private static IMethodSymbol Root(IMethodSymbol method)
    {
        var root = method.OriginalDefinition;
        while (root.OverriddenMethod is { } overridden) root = overridden.OriginalDefinition;
        return root;
    }

    private static IEnumerable<INamedTypeSymbol> Chain(ITypeSymbol type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType) yield return current.OriginalDefinition;
    }

    private static bool IsTorchSharp(ISymbol symbol) => symbol.ContainingAssembly?.Name == "TorchSharp";
}

/// <summary>An AGS003 finding: the listed TorchSharp type and the names of its overrides that make Scalars.</summary>
internal sealed class TypeFinding(string typeId, string members)
{
    public string TypeId { get; } = typeId;

    public string Members { get; } = members;
}
