using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using AttributeGan.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace AttributeGan.Generators.Tests;

/// <summary>A spec file handed to the generator as an AdditionalFile.</summary>
public sealed class SpecText(string path, string text) : AdditionalText
{
    public override string Path { get; } = path;

    public string Text { get; } = text;

    public override SourceText GetText(CancellationToken cancellationToken = default) => SourceText.From(Text);
}

/// <summary>What one generator run produced.</summary>
public sealed record GeneratorRun(
    GeneratorDriver Driver,
    GeneratorDriverRunResult Result,
    CSharpCompilation InputCompilation,
    Compilation OutputCompilation)
{
    public ImmutableArray<Diagnostic> GeneratorDiagnostics => Result.Diagnostics;

    /// <summary>Errors and warnings of compiling the emitted code against the real building blocks.</summary>
    public IReadOnlyList<Diagnostic> CompileProblems => OutputCompilation.GetDiagnostics()
        .Where(d => d.Severity >= DiagnosticSeverity.Warning)
        .ToList();

    public string Source(string hintName) =>
        Result.Results.SelectMany(r => r.GeneratedSources).Single(s => s.HintName == hintName).SourceText.ToString();

    /// <summary>A model's three generated files in one text, each under a <c>// ==== hint ====</c> line: one snapshot per spec.</summary>
    public string SpecSources(string model) =>
        string.Join("\n", new[] { "Spec", "Generator", "Discriminator" }.Select(part => $"// ==== {model}{part}.g.cs ====\n" + Source(model + part + ".g.cs")));
}

/// <summary>Runs <see cref="SpecGenerator"/> in memory, the way the compiler does, with step tracking on.</summary>
public static class GeneratorHarness
{
    /// <summary>Tests put generated types here so they do not clash with the ones compiled into AttributeGan.Models.</summary>
    public const string TestNamespace = "AttributeGan.Generators.Tests.Emitted";

    public static string SpecsDirectory { get; } = FindSpecsDirectory();

    public static IReadOnlyList<SpecText> ShippedSpecs() =>
        Directory.GetFiles(SpecsDirectory, "*.yaml").OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new SpecText(p, File.ReadAllText(p))).ToList();

    /// <summary>A spec in a virtual folder (so relative <c>base:</c> paths resolve between in-memory files).</summary>
    public static SpecText InMemory(string fileName, string yaml) => new(System.IO.Path.Combine(VirtualRoot, fileName), yaml);

    public static string VirtualRoot { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "attributegan-specs");

    public static GeneratorRun Run(IEnumerable<AdditionalText> specs, string? ns = TestNamespace)
    {
        var compilation = CSharpCompilation.Create("GeneratorTest",
            Array.Empty<SyntaxTree>(),
            References.Value,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CreateDriver(specs, ns);
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorRun(driver, driver.GetRunResult(), compilation, output);
    }

    public static GeneratorDriver CreateDriver(IEnumerable<AdditionalText> specs, string? ns = TestNamespace)
    {
        var options = new OptionsProvider(ns is null ? ImmutableDictionary<string, string>.Empty : ImmutableDictionary<string, string>.Empty.Add(SpecGenerator.NamespaceProperty, ns));
        return CSharpGeneratorDriver.Create(
            new[] { new SpecGenerator().AsSourceGenerator() },
            specs,
            CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest),
            options,
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
    }

    public static CSharpCompilation EmptyCompilation() => CSharpCompilation.Create("GeneratorTest",
        Array.Empty<SyntaxTree>(), References.Value,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(System.IO.Path.PathSeparator);
        var extra = new[] { typeof(AttributeGan.Models.IGanSpec).Assembly.Location, typeof(TorchSharp.torch).Assembly.Location };
        return platform.Concat(extra).Distinct().Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
    });

    private static string FindSpecsDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = System.IO.Path.Combine(directory.FullName, "specs");
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "AttributeGan.sln")) && Directory.Exists(candidate)) return candidate;
        }

        throw new DirectoryNotFoundException("Could not find the repository's specs/ folder above " + AppContext.BaseDirectory);
    }

    private sealed class OptionsProvider(ImmutableDictionary<string, string> global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Options(global);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Options(ImmutableDictionary<string, string>.Empty);

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Options(ImmutableDictionary<string, string>.Empty);
    }

    private sealed class Options(ImmutableDictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, out string value) => values.TryGetValue(key, out value!);
    }
}
