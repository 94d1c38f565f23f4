using System;
using System.Collections.Immutable;
using System.Linq;
using AttributeGan.Generators.Emit;
using AttributeGan.Generators.Model;
using AttributeGan.Generators.Parsing;
using AttributeGan.Generators.Resolution;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AttributeGan.Generators;

/// <summary>
/// Compiles the project's YAML specs (AdditionalFiles ending in .yaml or .yml) into typed TorchSharp models:
/// parse each file → merge <c>base:</c> chains across files → bind, validate and plan each spec → emit C#.
/// This class only wires the steps; each step is a pure function over value-equal data.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class SpecGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        var parsed = context.AdditionalTextsProvider
            .Where(static file => IsSpecFile(file.Path))
            .Select(static (file, cancellation) => YamlTreeReader.Read(file.Path, file.GetText(cancellation)?.ToString()))
            .WithTrackingName(TrackingNames.ParseSpec);

        var resolved = parsed
            .Collect()
            .Select(static (documents, _) => BaseResolver.ResolveAll(documents, SpecCompiler.HasErrors))
            .WithTrackingName(TrackingNames.ResolveBases);

        var compiled = resolved
            .SelectMany(static (documents, _) => documents)
            .WithTrackingName(TrackingNames.SelectSpec)
            .Select(static (document, _) => SpecCompiler.Compile(document))
            .WithTrackingName(TrackingNames.CompileSpec);

        var namespaceSetting = context.AnalyzerConfigOptionsProvider
            .Select(static (options, _) => options.GlobalOptions.TryGetValue(NamespaceProperty, out var value) ? value.Trim() : "");
        // An unusable setting is an error; the code still goes to the default namespace so that one error is all the build shows.
        context.RegisterSourceOutput(namespaceSetting, static (output, value) =>
        {
            if (value.Length > 0 && !IsNamespace(value)) output.ReportDiagnostic(Diagnostic.Create(Diagnostics.DiagnosticDescriptors.SpecNamespaceInvalid, Location.None, value));
        });
        var ns = namespaceSetting.Select(static (value, _) => IsNamespace(value) ? value : SpecClassEmitter.DefaultNamespace);

        context.RegisterSourceOutput(compiled.Combine(ns), static (output, pair) => EmitSpec(output, pair.Left, pair.Right));

        var names = compiled
            .Select(static (result, _) => result.Compiled?.Spec.Name ?? "")
            .Collect()
            .Select(static (all, _) => all.Where(n => n.Length > 0).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToEquatableArray())
            .WithTrackingName(TrackingNames.CatalogNames);

        context.RegisterSourceOutput(names.Combine(ns), static (output, pair) =>
            output.AddSource("ModelCatalog.g.cs", SourceText.From(CatalogEmitter.Emit(pair.Left, pair.Right), System.Text.Encoding.UTF8)));
    }

    /// <summary>MSBuild property (made visible to the compiler) that moves the generated types to another namespace.</summary>
    public const string NamespaceProperty = "build_property.AttributeGanSpecNamespace";

    private static bool IsNamespace(string value) =>
        value.Length > 0 && value.Split('.').All(Helpers.Naming.IsNamespaceSegment);

    private static bool IsSpecFile(string path) =>
        path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);

    private static void EmitSpec(SourceProductionContext output, CompileResult result, string ns)
    {
        foreach (var diagnostic in result.Diagnostics) output.ReportDiagnostic(diagnostic.ToDiagnostic());
        if (result.Compiled is not { } compiled) return;

        string name = compiled.Spec.Name;
        output.AddSource(name + "Spec.g.cs", SourceText.From(SpecClassEmitter.Emit(compiled, ns), System.Text.Encoding.UTF8));
        output.AddSource(name + "Generator.g.cs", SourceText.From(GeneratorEmitter.Emit(compiled, ns), System.Text.Encoding.UTF8));
        output.AddSource(name + "Discriminator.g.cs", SourceText.From(DiscriminatorEmitter.Emit(compiled, ns), System.Text.Encoding.UTF8));
    }
}
