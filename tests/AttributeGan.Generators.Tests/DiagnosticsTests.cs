using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Generators.Diagnostics;
using Xunit;
using static AttributeGan.Generators.Tests.DiagnosticAssert;
using static AttributeGan.Generators.Tests.SpecEdits;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// Each rule of the spec language, fired from the valid tiny.yaml by one targeted edit, so that (where the rules
/// allow it) only that rule fires, at the YAML that breaks it, with its exact message. The cases are DiagnosticCases';
/// this class holds what is asserted of each and of all of them together.
/// </summary>
public class DiagnosticsTests
{
    private static readonly Lazy<Dictionary<string, DiagnosticCase>> Cases = new(() => DiagnosticCases.All().ToDictionary(c => c.Name));

    public static TheoryData<string> CaseNames => new(Cases.Value.Keys.OrderBy(n => n, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void Reports_exactly_the_expected_diagnostics(string name)
    {
        var @case = Cases.Value[name];
        var run = Produces(@case.Specs, @case.Expected.ToArray());
        if (@case.Expected.All(e => DiagnosticDescriptors.ById(e.Id).DefaultSeverity != Microsoft.CodeAnalysis.DiagnosticSeverity.Error))
            Assert.Empty(run.CompileProblems.Select(d => d.ToString())); // a warning still emits code, and it compiles
    }

    [Fact]
    public void The_unedited_tiny_spec_reports_nothing() => Produces(Tiny());

    [Fact]
    public void Every_descriptor_except_the_internal_error_is_covered_by_a_case()
    {
        // AGAN034 is about a project setting, not a spec file: NamespaceSettingTests covers it.
        var covered = Cases.Value.Values.SelectMany(c => c.Expected).Select(e => e.Id).Append(DiagnosticDescriptors.SpecNamespaceInvalid.Id).ToHashSet();
        var missing = DiagnosticDescriptors.All.Select(d => d.Id).Where(id => id != "AGAN000" && !covered.Contains(id)).OrderBy(id => id);
        Assert.Empty(missing);
    }

    [Fact]
    public void Each_case_expects_the_rule_its_name_starts_with()
    {
        Assert.All(Cases.Value.Values, c => Assert.Contains(c.Expected, e => c.Name.StartsWith(e.Id + " ", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_assertion_fails_on_a_missing_unexpected_or_misplaced_diagnostic()
    {
        var spec = Tiny("latent: 16", "latent: sixteen");
        var right = Expect("AGAN003", spec.At("sixteen"), "'latent' must be an integer");
        Assert.ThrowsAny<Exception>(() => Produces(spec));
        Assert.ThrowsAny<Exception>(() => Produces(Tiny(), right));
        Assert.ThrowsAny<Exception>(() => Produces(spec, right with { Column = right.Column + 1 }));
        Assert.ThrowsAny<Exception>(() => Produces(spec, right with { Message = "'latent' must be a number" }));
        Assert.ThrowsAny<Exception>(() => Produces(spec, right, right));
        Produces(spec, right);
    }

    [Fact]
    public void No_case_produces_a_diagnostic_without_a_location_in_a_spec()
    {
        var problems = Cases.Value.Values
            .SelectMany(c => GeneratorHarness.Run(c.Specs).GeneratorDiagnostics.SelectMany(d => LocationProblems(d, c.Specs)))
            .ToList();
        Assert.Empty(problems);
    }
}
