using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace AttributeGan.Analyzers.Tests;

/// <summary>Compiles snippets against TorchSharp (metadata only) and runs <see cref="ScalarLifetimeAnalyzer"/> on them.</summary>
public static class AnalyzerHarness
{
    /// <summary>The TorchSharp.dll the tests were built against, beside the test assembly (read, never loaded for IL).</summary>
    public static string TorchSharpPath { get; } = Path.Combine(AppContext.BaseDirectory, "TorchSharp.dll");

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>
    /// Stand-ins for AttributeGan.Models.Numerics.Scalars (process-lifetime Scalars), written the way the real one is:
    /// Scalars in static readonly fields, and a method returning a new Scalar to its caller.
    /// </summary>
    public const string Prelude = """
        using System;
        using System.Collections.Generic;
        using TorchSharp;
        using TorchSharp.Modules;
        using static TorchSharp.torch;

        static class Scalars
        {
            public static readonly Scalar One = 1.ToScalar();
            public static readonly Scalar Half = 0.5;
            public static Scalar Of(double value) => value.ToScalar();
        }

        """;

    public static CSharpCompilation Compile(string source, bool withPrelude = true) => CSharpCompilation.Create("AnalyzerTest",
        new[] { CSharpSyntaxTree.ParseText((withPrelude ? Prelude : "") + source, CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest), path: "Test.cs") },
        References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    /// <summary>The analyzer's diagnostics on <paramref name="source"/> (after the prelude), in source order; the snippet must compile.</summary>
    public static IReadOnlyList<Diagnostic> Analyze(string source, bool withPrelude = true)
    {
        var compilation = Compile(source, withPrelude);
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "The snippet does not compile:\n" + string.Join("\n", errors));
        return Run(compilation);
    }

    public static IReadOnlyList<Diagnostic> Run(Compilation compilation)
    {
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new ScalarLifetimeAnalyzer()));
        return withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult()
            .OrderBy(d => d.Location.SourceSpan.Start).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>A diagnostic as "ID `flagged source`": what the tests compare.</summary>
    public static string Describe(Diagnostic diagnostic) =>
        $"{diagnostic.Id} `{diagnostic.Location.SourceTree!.GetText().ToString(diagnostic.Location.SourceSpan)}`";

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        // The shared framework the tests run on (its implementation assemblies serve as references), and TorchSharp.
        var framework = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => string.Equals(Path.GetDirectoryName(p), framework, StringComparison.Ordinal));
        return platform.Append(TorchSharpPath).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AttributeGan.sln"))) return directory.FullName;
        throw new DirectoryNotFoundException("Could not find AttributeGan.sln above " + AppContext.BaseDirectory);
    }
}
