using System.IO;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using AttributeGan.Analyzers.Tests.IlScan;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AttributeGan.Analyzers.Tests;

/// <summary>The IL reader the scan builds its call graph with, on methods compiled here.</summary>
public sealed class IlCallsTests
{
    /// <summary>
    /// A <c>switch</c> instruction is followed by its count and then its targets; reading the calls after it depends on
    /// skipping exactly those bytes. Each padding moves the last target, whose bytes a reader off by four would decode as
    /// instructions (some of which swallow the next call).
    /// </summary>
    [Fact]
    public void Calls_after_a_switch_are_all_read()
    {
        for (var padding = 0; padding <= 12; padding++)
        {
            var pad = string.Concat(Enumerable.Repeat("X(); ", padding));
            var source = "static class C { static void X() { } static int A() => 1; static int B() => 2; static int E() => 3; static int D() => 4; " +
                $"static int F(int k) {{ switch (k) {{ case 0: return A(); case 1: {pad}return B(); case 2: return E(); }} return D(); }} }}";
            Assert.Equal(new[] { "A" }.Concat(Enumerable.Repeat("X", padding)).Concat(new[] { "B", "E", "D" }), CalleeNames(source, "F"));
        }
    }

    private static string[] CalleeNames(string source, string method)
    {
        var compilation = CSharpCompilation.Create("IlCallsTest", new[] { CSharpSyntaxTree.ParseText(source) },
            new[] { MetadataReference.CreateFromFile(typeof(object).Assembly.Location) },
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        using var pe = new PEReader(image);
        var reader = pe.GetMetadataReader();
        var definition = reader.MethodDefinitions.Select(reader.GetMethodDefinition).Single(m => reader.GetString(m.Name) == method);
        var il = pe.GetMethodBody(definition.RelativeVirtualAddress).GetILContent();
        Assert.Equal(new byte[] { (byte)ILOpCode.Ldarg_0, (byte)ILOpCode.Switch }, il.Take(2));   // the case under test: switch (k) first
        // A misread operand shows as a token of some other kind.
        return IlCalls.Callees(pe, definition)
            .Select(h => h.Kind == HandleKind.MethodDefinition ? reader.GetString(reader.GetMethodDefinition((MethodDefinitionHandle)h).Name) : $"({h.Kind})")
            .ToArray();
    }
}
