using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// The project template (templates/AttributeGan.Templates) ships snapshots of the code its starter spec generates, in
/// the template's namespace (AttributeGanApp.Specs, which `dotnet new -n MyGan` renames along with the snapshot text).
/// They must be exactly what this generator emits, or every new project's tests would fail out of the box: after an
/// intended emitter change, ATTRIBUTEGAN_ACCEPT_SNAPSHOTS=1 rewrites them together with this project's own.
/// </summary>
public class TemplateSnapshotTests
{
    private const string TemplateNamespace = "AttributeGanApp.Specs";

    private static readonly string TemplateDirectory =
        Path.Combine(SnapshotAssert.RepositoryRoot, "templates", "AttributeGan.Templates", "content", "attributegan");

    private static readonly string TemplateSnapshots = Path.Combine(TemplateDirectory, "tests", "Snapshots");

    private static readonly Lazy<GeneratorRun> Template = new(() => GeneratorHarness.Run(
        Directory.GetFiles(Path.Combine(TemplateDirectory, "specs"), "*.yaml").OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => new SpecText(p, File.ReadAllText(p))).ToList(),
        TemplateNamespace));

    [Fact]
    public void The_template_specs_compile_without_a_diagnostic_or_a_warning()
    {
        Assert.Empty(Template.Value.GeneratorDiagnostics);
        Assert.Empty(Template.Value.CompileProblems.Select(d => d.ToString()));
    }

    [Fact]
    public void The_template_ships_the_snapshots_its_tests_expect()
    {
        var models = Template.Value.Result.Results.Single().GeneratedSources
            .Select(s => s.HintName)
            .Where(h => h.EndsWith("Spec.g.cs", StringComparison.Ordinal))
            .Select(h => h[..^"Spec.g.cs".Length])
            .ToList();
        Assert.NotEmpty(models);
        foreach (var model in models) AttributeGanApp.Tests.SnapshotAssert.Matches(Template.Value.SpecSources(model), model, TemplateSnapshots);
        AttributeGanApp.Tests.SnapshotAssert.Matches(Template.Value.Source("ModelCatalog.g.cs"), "ModelCatalog", TemplateSnapshots);

        var shipped = Directory.GetFiles(TemplateSnapshots, "*.verified.cs").Select(p => Path.GetFileName(p)[..^".verified.cs".Length]);
        Assert.Equal(models.Append("ModelCatalog").OrderBy(n => n, StringComparer.Ordinal), shipped.OrderBy(n => n, StringComparer.Ordinal));
    }
}
