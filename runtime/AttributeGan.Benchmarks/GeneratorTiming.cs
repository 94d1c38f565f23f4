using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading;
using AttributeGan.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace AttributeGan.Benchmarks;

/// <summary>Source-generator time for one set of spec files, from <c>GeneratorDriver.GetTimingInfo()</c> (milliseconds).</summary>
public sealed record GeneratorTimingRow(string Specs, int Files, int GeneratedFiles, double FirstRunMs, TimingStats Uncached, TimingStats Cached);

public sealed record GeneratorTimingResult(IReadOnlyList<GeneratorTimingRow> Rows);

/// <summary>
/// Drives <see cref="SpecGenerator"/> in memory the way the compiler does, on the shipped specs embedded in this assembly.
/// <list type="bullet">
/// <item>first run: the first generator run in this process for these files (the all-specs row includes JIT of the
/// generator and YamlDotNet, like a compiler server's first build);</item>
/// <item>uncached: a new driver per run, warm code (a full rebuild);</item>
/// <item>cached: the same driver run again on an unchanged (cloned) compilation, as on every keystroke in an IDE.</item>
/// </list>
/// </summary>
public static partial class GeneratorTiming
{
    private const string VirtualRoot = "/attributegan-bench/specs";

    public static GeneratorTimingResult Run(int repeats)
    {
        var all = ShippedSpecs();
        var rows = new List<GeneratorTimingRow> { Measure("all shipped specs", all, repeats) };
        foreach (var spec in all)
        {
            var files = WithBases(spec, all);
            rows.Add(Measure(Path.GetFileName(spec.Path) + (files.Count > 1 ? $" (+{files.Count - 1} base)" : ""), files, repeats));
        }
        return new GeneratorTimingResult(rows);
    }

    /// <summary>The YAML files shipped in <c>specs/</c>, as the compiler would see them.</summary>
    public static IReadOnlyList<AdditionalText> ShippedSpecs()
    {
        var assembly = typeof(GeneratorTiming).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith("specs/", StringComparison.Ordinal))
            .OrderBy(n => n, StringComparer.Ordinal)
            .Select(n => (AdditionalText)new SpecText(VirtualRoot + "/" + n["specs/".Length..], Read(assembly, n)))
            .ToList();
    }

    private static GeneratorTimingRow Measure(string name, IReadOnlyList<AdditionalText> files, int repeats)
    {
        var compilation = CSharpCompilation.Create("AttributeGanBench");
        var driver = CreateDriver(files).RunGenerators(compilation);
        double first = driver.GetTimingInfo().ElapsedTime.TotalMilliseconds;
        int generated = driver.GetRunResult().GeneratedTrees.Length;

        var uncached = new double[repeats];
        var cached = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var fresh = CreateDriver(files).RunGenerators(compilation);
            uncached[i] = fresh.GetTimingInfo().ElapsedTime.TotalMilliseconds;
            var again = fresh.RunGenerators(compilation.Clone());
            cached[i] = again.GetTimingInfo().ElapsedTime.TotalMilliseconds;
        }
        return new GeneratorTimingRow(name, files.Count, generated, first, TimingStats.Of(uncached), TimingStats.Of(cached));
    }

    private static GeneratorDriver CreateDriver(IReadOnlyList<AdditionalText> files) => CSharpGeneratorDriver.Create(
        new[] { new SpecGenerator().AsSourceGenerator() },
        files,
        CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest),
        optionsProvider: null,
        new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: false));

    /// <summary>A spec and the files its <c>base:</c> chain names (a delta cannot compile alone).</summary>
    private static IReadOnlyList<AdditionalText> WithBases(AdditionalText spec, IReadOnlyList<AdditionalText> all)
    {
        var chain = new List<AdditionalText> { spec };
        var current = spec;
        while (BaseLine().Match(current.GetText()!.ToString()) is { Success: true } match)
        {
            var next = all.FirstOrDefault(f => Path.GetFileName(f.Path) == match.Groups[1].Value.Trim());
            if (next is null || chain.Contains(next)) break;
            chain.Add(next);
            current = next;
        }
        return chain;
    }

    [GeneratedRegex(@"^base:\s*([^\s#]+)", RegexOptions.Multiline)]
    private static partial Regex BaseLine();

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"Missing resource {resource}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class SpecText(string path, string text) : AdditionalText
    {
        private readonly SourceText source = SourceText.From(text);

        public override string Path { get; } = path;

        public override SourceText GetText(CancellationToken cancellationToken = default) => source;
    }
}
