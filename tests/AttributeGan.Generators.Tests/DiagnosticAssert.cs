using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Sdk;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// A diagnostic a test expects: its id, the 1-based line and column of its start (as <c>dotnet build</c> prints
/// <c>tiny.yaml(7,17): error AGAN004: ...</c>), a part of its message, and the file it points into (null: the only
/// spec of the run).
/// </summary>
public sealed record ExpectedDiagnostic(string Id, int Line, int Column, string Message, string? File = null)
{
    public override string ToString() => $"{File ?? "<spec>"}({Line},{Column}): {Id}: …{Message}…";
}

/// <summary>
/// Runs the generator on in-memory specs and asserts the exact set of diagnostics it reports: every expected one
/// appears (same id, file, line and column, message containing the expected text), nothing else appears, and every
/// diagnostic points at a real place in a spec file.
/// </summary>
public static class DiagnosticAssert
{
    public static ExpectedDiagnostic Expect(string id, (int Line, int Column) at, string message, string? file = null) =>
        new(id, at.Line, at.Column, message, file);

    public static GeneratorRun Produces(SpecText spec, params ExpectedDiagnostic[] expected) => Produces(new[] { spec }, expected);

    public static GeneratorRun Produces(IReadOnlyList<SpecText> specs, params ExpectedDiagnostic[] expected)
    {
        var run = GeneratorHarness.Run(specs);
        var actual = run.GeneratorDiagnostics.ToList();
        var problems = new List<string>();
        foreach (var diagnostic in actual) problems.AddRange(LocationProblems(diagnostic, specs));

        string? onlyFile = specs.Count == 1 ? Path.GetFileName(specs[0].Path) : null;
        var unmatched = new List<Diagnostic>(actual);
        foreach (var expectation in expected)
        {
            var file = expectation.File ?? onlyFile ?? throw new ArgumentException($"{expectation} must name its file: the run has several specs");
            var match = unmatched.FirstOrDefault(d => Matches(d, expectation, file));
            if (match is null) problems.Add("missing:    " + (expectation with { File = file }));
            else unmatched.Remove(match);
        }

        problems.AddRange(unmatched.Select(d => "unexpected: " + Format(d)));
        if (problems.Count > 0)
        {
            var message = new StringBuilder("The generator's diagnostics differ from the expected ones.\n");
            foreach (var problem in problems) message.Append("  ").Append(problem).Append('\n');
            message.Append("All diagnostics reported:\n");
            foreach (var diagnostic in actual) message.Append("  ").Append(Format(diagnostic)).Append('\n');
            if (actual.Count == 0) message.Append("  (none)\n");
            throw new XunitException(message.ToString());
        }

        return run;
    }

    /// <summary>A diagnostic as <c>dotnet build</c> prints it, with the file name only.</summary>
    public static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        var file = diagnostic.Location == Location.None ? "<no location>" : Path.GetFileName(span.Path);
        return $"{file}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): " +
               $"{diagnostic.Severity.ToString().ToLowerInvariant()} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// Why <paramref name="diagnostic"/> does not point at a real place of a spec: no location, another file, a span
    /// outside the text, or a line/column that disagrees with the character offset.
    /// </summary>
    public static IEnumerable<string> LocationProblems(Diagnostic diagnostic, IReadOnlyList<SpecText> specs)
    {
        var location = diagnostic.Location;
        if (location == Location.None || location.Kind != LocationKind.ExternalFile)
        {
            yield return $"{Format(diagnostic)}: has location kind {location.Kind}, not a spec file";
            yield break;
        }

        var lineSpan = location.GetLineSpan();
        var spec = specs.FirstOrDefault(s => s.Path == lineSpan.Path);
        if (spec is null)
        {
            yield return $"{Format(diagnostic)}: points into '{lineSpan.Path}', which is none of the specs";
            yield break;
        }

        var span = location.SourceSpan;
        if (span.Start < 0 || span.End > spec.Text.Length)
        {
            yield return $"{Format(diagnostic)}: span {span} lies outside the {spec.Text.Length} characters of the file";
            yield break;
        }

        var lines = SourceText.From(spec.Text).Lines;
        if (lines.GetLinePosition(span.Start) != lineSpan.StartLinePosition || lines.GetLinePosition(span.End) != lineSpan.EndLinePosition)
            yield return $"{Format(diagnostic)}: span {span} is at {lines.GetLinePositionSpan(span)}, but the location says {lineSpan.Span}";
    }

    private static bool Matches(Diagnostic diagnostic, ExpectedDiagnostic expected, string file)
    {
        var span = diagnostic.Location.GetLineSpan();
        return diagnostic.Id == expected.Id &&
               Path.GetFileName(span.Path) == file &&
               span.StartLinePosition.Line + 1 == expected.Line &&
               span.StartLinePosition.Character + 1 == expected.Column &&
               diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains(expected.Message, StringComparison.Ordinal);
    }
}

/// <summary>Spec texts for diagnostics tests: the shipped tiny.yaml with one targeted edit, and where a text is.</summary>
public static class SpecEdits
{
    public static string TinyText { get; } = File.ReadAllText(Path.Combine(GeneratorHarness.SpecsDirectory, "tiny.yaml"));

    /// <summary>tiny.yaml with each (old, new) pair replaced; each old text must occur exactly once.</summary>
    public static SpecText Tiny(params (string Old, string New)[] edits) => Edit("tiny.yaml", TinyText, edits);

    public static SpecText Tiny(string old, string replacement) => Tiny((old, replacement));

    /// <summary>The value of <c>const</c> or expression-bodied member <paramref name="name"/> in emitted source, as written.</summary>
    public static string Constant(string source, string name)
    {
        var match = Regex.Match(source, $@"\b{name}\b\s*(?:=>|=)\s*([^;]+);");
        Assert.True(match.Success, $"{name} not found in the emitted source");
        return match.Groups[1].Value.Trim();
    }

    public static SpecText Edit(string fileName, string text, params (string Old, string New)[] edits)
    {
        foreach (var (old, replacement) in edits)
        {
            int first = text.IndexOf(old, StringComparison.Ordinal);
            if (first < 0 || text.IndexOf(old, first + 1, StringComparison.Ordinal) >= 0)
                throw new ArgumentException($"'{old}' must occur exactly once in {fileName}");
            text = text.Substring(0, first) + replacement + text.Substring(first + old.Length);
        }

        return GeneratorHarness.InMemory(fileName, text);
    }

    /// <summary>
    /// The 1-based line and column of the <paramref name="occurrence"/>-th (1-based) match of <paramref name="context"/>;
    /// a '|' in it marks the character meant (<c>"heads: |3"</c> is the 3), otherwise its first character.
    /// </summary>
    public static (int Line, int Column) At(this SpecText spec, string context, int occurrence = 1)
    {
        int mark = Math.Max(0, context.IndexOf('|'));
        string needle = context.Replace("|", "");
        int index = -1;
        for (int i = 0; i < occurrence; i++)
        {
            index = spec.Text.IndexOf(needle, index + 1, StringComparison.Ordinal);
            if (index < 0) throw new ArgumentException($"'{needle}' does not occur {occurrence} time(s) in {spec.Path}");
        }

        index += mark;
        int line = 1, lineStart = 0;
        for (int i = 0; i < index; i++)
        {
            if (spec.Text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, index - lineStart + 1);
    }
}
