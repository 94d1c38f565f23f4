using System.Linq;
using AttributeGan.Generators.Diagnostics;
using Microsoft.CodeAnalysis;
using Xunit;
using static AttributeGan.Generators.Tests.SpecEdits;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// The MSBuild property <c>AttributeGanSpecNamespace</c> (the package's build files default it to the project's root
/// namespace + ".Specs"): a usable value moves every generated type, an unusable one is AGAN034, never a silent move.
/// </summary>
public class NamespaceSettingTests
{
    [Theory]
    [InlineData("MyGan.Specs")]
    [InlineData("My_Gan.Specs")]
    [InlineData("_2024.Specs")]
    public void A_usable_namespace_holds_every_generated_type(string ns)
    {
        var run = GeneratorHarness.Run(new[] { Tiny() }, ns);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains($"namespace {ns}\n", run.Source("ModelCatalog.g.cs").Replace("\r\n", "\n"));
        Assert.Contains($"global::{ns}.TinySpec.Instance", run.Source("ModelCatalog.g.cs"));
        Assert.Contains($"namespace {ns}\n", run.Source("TinyGenerator.g.cs").Replace("\r\n", "\n"));
        Assert.Empty(run.CompileProblems.Select(d => d.ToString()));
    }

    [Theory]
    [InlineData("2024.Specs")]
    [InlineData("My-Gan.Specs")]
    [InlineData("MyGan..Specs")]
    [InlineData("MyGan.class")]
    [InlineData(".Specs")]
    public void An_unusable_namespace_is_AGAN034_naming_the_value_and_the_fix(string ns)
    {
        var run = GeneratorHarness.Run(new[] { Tiny() }, ns);
        var diagnostic = Assert.Single(run.GeneratorDiagnostics);
        Assert.Equal(DiagnosticDescriptors.SpecNamespaceInvalid.Id, diagnostic.Id);
        Assert.Equal(DiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Equal(Location.None, diagnostic.Location);
        Assert.Contains($"'{ns}'", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        Assert.Contains("<AttributeGanSpecNamespace>", diagnostic.GetMessage(), System.StringComparison.Ordinal);
        // The code still goes somewhere predictable, so the error is the only thing the build reports about it.
        Assert.Contains("namespace AttributeGan.Models.Specs\n", run.Source("ModelCatalog.g.cs").Replace("\r\n", "\n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void An_empty_setting_means_the_default_namespace_without_a_diagnostic(string ns)
    {
        var run = GeneratorHarness.Run(new[] { Tiny() }, ns);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains("namespace AttributeGan.Models.Specs\n", run.Source("ModelCatalog.g.cs").Replace("\r\n", "\n"));
    }
}
