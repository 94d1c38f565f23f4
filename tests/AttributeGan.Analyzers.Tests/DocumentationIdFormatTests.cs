using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Analyzers.Tests.IlScan;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AttributeGan.Analyzers.Tests;

/// <summary>
/// The IDs the IL scan writes are the IDs the analyzer looks up (Roslyn's <c>GetDocumentationCommentId</c>): a format
/// difference would make a listed member silently never match.
/// </summary>
public sealed class DocumentationIdFormatTests
{
    private static readonly Lazy<HashSet<string>> FromMetadata = new(() => new HashSet<string>(ScalarMakerScan.VisibleMethodIds(AnalyzerHarness.TorchSharpPath), StringComparer.Ordinal));

    private static readonly Lazy<HashSet<string>> FromRoslyn = new(() =>
    {
        var compilation = AnalyzerHarness.Compile("", withPrelude: false);
        var torchSharp = compilation.SourceModule.ReferencedAssemblySymbols.Single(a => a.Name == "TorchSharp");
        var ids = new HashSet<string>(StringComparer.Ordinal);
        // Roslyn also hands out private members and the parameterless constructors it synthesizes for structs.
        foreach (var type in Types(torchSharp.GlobalNamespace).Where(IsVisible))
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>().Where(m => !m.IsImplicitlyDeclared && IsVisible(m)))
                if (method.GetDocumentationCommentId() is { } id) ids.Add(id);
        return ids;
    });

    [Fact]
    public void Every_visible_TorchSharp_method_has_the_ID_Roslyn_gives_it()
    {
        var diff = MemberListFile.Diff(FromRoslyn.Value, FromMetadata.Value, limit: 20)
            .Replace("  add ", "  only Roslyn: ").Replace("  remove ", "  only metadata: ");
        Assert.True(diff.Length == 0, "The metadata IDs and Roslyn's differ:\n" + diff);
        Assert.True(FromMetadata.Value.Count > 5_000, $"only {FromMetadata.Value.Count} methods: not the whole of TorchSharp?");
    }

    // Each feature of the format, on real members: the comparison above covers them only if TorchSharp has some.
    [Theory]
    [InlineData("M:TorchSharp.torch.nn.functional.leaky_relu(TorchSharp.torch.Tensor,System.Double,System.Boolean)")]   // nested types
    [InlineData("M:TorchSharp.torch.nn.Module`2.forward(`0)")]                         // generic type and its parameter
    [InlineData("M:TorchSharp.Scalar.op_Implicit(System.Double)~TorchSharp.Scalar")]   // conversion: return type
    [InlineData("M:TorchSharp.torch.Tensor.square")]                                   // no parameters: no parentheses
    [InlineData("M:TorchSharp.Modules.Adam.#ctor(System.Collections.Generic.IEnumerable{TorchSharp.Modules.Parameter},System.Double,System.Double,System.Double,System.Double,System.Double,System.Boolean,System.Boolean)")]
    public void Exact_members(string id)
    {
        Assert.Contains(id, FromRoslyn.Value);
        Assert.Contains(id, FromMetadata.Value);
    }

    [Theory]
    [InlineData("``")]                             // generic method parameter
    [InlineData("[]")]                             // array
    [InlineData("@")]                              // by-ref (ref, out, in)
    [InlineData("System.Nullable{System.Double}")] // generic instantiation
    [InlineData("{System.ValueTuple{")]            // nested instantiation
    [InlineData("#ctor(")]                         // constructor
    public void Features(string part)
    {
        var withPart = FromMetadata.Value.Where(id => id.Contains(part, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(withPart);
        Assert.All(withPart, id => Assert.Contains(id, FromRoslyn.Value));
    }

    private static bool IsVisible(ISymbol symbol) =>
        symbol.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal
        && (symbol.ContainingType is null || IsVisible(symbol.ContainingType));

    private static IEnumerable<INamedTypeSymbol> Types(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceSymbol ns)
                foreach (var type in Types(ns)) yield return type;
            else if (member is INamedTypeSymbol type)
            {
                yield return type;
                foreach (var nested in Types(type)) yield return nested;
            }
        }
    }
}
