using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// The incremental pipeline caches: a second run on an unchanged (cloned) compilation recomputes nothing, an edit to
/// one spec recomputes only that spec, and no step output holds Roslyn objects that would defeat the cache.
/// </summary>
public class IncrementalCachingTests
{
    private static readonly string[] StepNames = typeof(TrackingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToArray();

    [Fact]
    public void A_second_run_on_a_cloned_compilation_is_cached_in_every_tracked_step()
    {
        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(GeneratorHarness.ShippedSpecs()).RunGenerators(compilation);
        var first = driver.GetRunResult().Results.Single();
        Assert.Empty(first.Diagnostics);
        Assert.All(StepNames, name => Assert.True(first.TrackedSteps.ContainsKey(name), $"step {name} was not tracked in the first run"));

        driver = driver.RunGenerators(compilation.Clone());
        var second = driver.GetRunResult().Results.Single();

        var recomputed = StepNames
            .SelectMany(name => second.TrackedSteps[name].SelectMany(step => step.Outputs).Select(output => (name, output.Reason)))
            .Where(x => x.Reason is not (IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged))
            .Select(x => $"{x.name}: {x.Reason}")
            .ToList();
        Assert.Empty(recomputed);
        Assert.Equal(
            first.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())),
            second.GeneratedSources.Select(s => (s.HintName, s.SourceText.ToString())));
    }

    [Fact]
    public void Editing_one_spec_recompiles_only_that_spec()
    {
        var specs = GeneratorHarness.ShippedSpecs();
        var tiny = specs.Single(s => Path.GetFileName(s.Path) == "tiny.yaml");
        var edited = new SpecText(tiny.Path, tiny.Text.Replace("steps: 20", "steps: 30", StringComparison.Ordinal));
        Assert.NotEqual(tiny.Text, edited.Text);

        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(specs).RunGenerators(compilation);
        driver = driver.ReplaceAdditionalText(tiny, edited).RunGenerators(compilation.Clone());
        var result = driver.GetRunResult().Results.Single();

        var compiled = result.TrackedSteps[TrackingNames.CompileSpec]
            .SelectMany(step => step.Outputs)
            .Select(output => (File: Path.GetFileName(PathOf(output.Value)), output.Reason))
            .ToList();
        Assert.Equal(specs.Count, compiled.Count);
        foreach (var (file, reason) in compiled)
        {
            if (file == "tiny.yaml") Assert.Equal(IncrementalStepRunReason.Modified, reason);
            else Assert.True(reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{file} was {reason}");
        }

        // The catalogue's names did not change, so its step reports the same value.
        Assert.All(result.TrackedSteps[TrackingNames.CatalogNames].SelectMany(s => s.Outputs),
            output => Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"CatalogNames was {output.Reason}"));
        Assert.Contains("Steps: 30,", result.GeneratedSources.Single(s => s.HintName == "TinySpec.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_tracked_step_output_holds_a_Roslyn_object()
    {
        // Run over a mix of valid specs and ones with diagnostics so that every kind of output is walked.
        var broken = SpecEdits.Edit("broken.yaml", SpecEdits.TinyText, ("name: Tiny", "name: Broken"), ("latent: 16", "latent: sixteen"));
        var specs = GeneratorHarness.ShippedSpecs().Append(broken).ToList();
        var compilation = GeneratorHarness.EmptyCompilation();
        var driver = GeneratorHarness.CreateDriver(specs).RunGenerators(compilation);
        var result = driver.GetRunResult().Results.Single();

        var problems = new List<string>();
        int walked = 0;
        foreach (var name in StepNames)
            foreach (var step in result.TrackedSteps[name])
                foreach (var (value, _) in step.Outputs)
                    walked += Walk(value, name, new HashSet<object>(ReferenceEqualityComparer.Instance), problems);

        Assert.Empty(problems);
        Assert.True(walked > 1000, $"only {walked} values were walked: the walker misses the outputs' contents");
    }

    [Fact]
    public void The_walker_finds_Roslyn_objects_inside_records_arrays_and_tuples()
    {
        var diagnostic = Diagnostic.Create(Diagnostics.DiagnosticDescriptors.EmptySpec, Location.None);
        var problems = new List<string>();
        Walk(new Holder("x", ImmutableArray.Create<object>(1, (2, new Holder("y", ImmutableArray.Create<object>(diagnostic))))), "root", new HashSet<object>(ReferenceEqualityComparer.Instance), problems);
        Walk(((object)"z", Location.None), "tuple", new HashSet<object>(ReferenceEqualityComparer.Instance), problems);
        Assert.Contains(problems, p => p.StartsWith("root.<Items>k__BackingField[1].Item2.<Items>k__BackingField[0] is a", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("tuple.Item2 is a", StringComparison.Ordinal));
    }

    private sealed record Holder(string Name, ImmutableArray<object> Items);

    private static string PathOf(object compileResult) =>
        (string)compileResult.GetType().GetProperty("Path")!.GetValue(compileResult)!;

    private static readonly Type[] Forbidden = { typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(SemanticModel), typeof(Location), typeof(Diagnostic) };

    /// <summary>Visits <paramref name="value"/> and everything reachable from its fields; returns how many values were seen.</summary>
    private static int Walk(object? value, string path, HashSet<object> seen, List<string> problems)
    {
        if (value is null) return 0;
        var type = value.GetType();
        if (Forbidden.FirstOrDefault(f => f.IsAssignableFrom(type)) is { } forbidden)
        {
            problems.Add($"{path} is a {type.FullName} ({forbidden.Name})");
            return 1;
        }

        if (type.IsPrimitive || type.IsEnum || value is string or decimal) return 1;
        if (!type.IsValueType && !seen.Add(value)) return 0;

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>) && (bool)type.GetProperty("IsDefault")!.GetValue(value)!)
            return 1;

        int count = 1;
        if (value is IEnumerable items)
        {
            int i = 0;
            foreach (var item in items) count += Walk(item, $"{path}[{i++}]", seen, problems);
            return count;
        }

        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (Forbidden.Any(f => f.IsAssignableFrom(field.FieldType)))
                    problems.Add($"{path}.{field.Name} is declared as {field.FieldType.FullName}");
                count += Walk(field.GetValue(value), $"{path}.{field.Name}", seen, problems);
            }

        return count;
    }
}
