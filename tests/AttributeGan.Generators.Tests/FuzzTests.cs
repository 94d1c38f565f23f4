using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// Feeds the generator hundreds of damaged specs. Whatever the input: no exception, no generator crash (CS8785,
/// AD0001), no internal error (AGAN000), every diagnostic at a real place of a spec, and whenever code is emitted it
/// compiles without errors or warnings.
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261107;
    private const int MutatedVariants = 600;

    /// <summary>Compiling is the slow part: each distinct new output is compiled, up to this many times.</summary>
    private const int MaxCompileChecks = 100;

    [Fact]
    public void Damaged_specs_never_crash_the_generator_nor_emit_code_that_does_not_compile()
    {
        var clock = Stopwatch.StartNew();
        var shipped = GeneratorHarness.ShippedSpecs();
        var random = new Random(Seed);
        var variants = SpecialInputs(shipped[0].Path).Concat(Enumerable.Range(0, MutatedVariants).Select(i => Mutate(shipped, random, i))).ToList();

        var failures = new List<string>();
        foreach (var (description, files) in variants)
        {
            var problems = Check(files);
            if (problems.Count > 0) failures.Add(Report(description, files[0], problems));
        }

        clock.Stop();
        output.WriteLine($"{variants.Count} variants in {clock.Elapsed.TotalSeconds:F1} s; {emitting} emitted new code, {compiled.Count} distinct outputs compiled " +
                         $"in {compileClock.Elapsed.TotalSeconds:F1} s");
        Assert.True(variants.Count >= 500, $"only {variants.Count} variants");
        Assert.True(failures.Count == 0, $"{failures.Count} of {variants.Count} inputs failed:\n\n" + string.Join("\n\n", failures.Take(8)));
    }

    private readonly HashSet<string> compiled = new(StringComparer.Ordinal);
    private readonly Stopwatch compileClock = new();
    private int emitting;

    /// <summary>What the unchanged shipped specs emit: ShippedSpecTests compiles it, so only other code needs compiling here.</summary>
    private static readonly Lazy<HashSet<string>> ShippedSources = new(() =>
        GeneratorHarness.Run(GeneratorHarness.ShippedSpecs()).Result.Results.Single().GeneratedSources.Select(s => s.SourceText.ToString()).ToHashSet(StringComparer.Ordinal));

    private List<string> Check(SpecText[] files)
    {
        var problems = new List<string>();
        GeneratorRun run;
        try
        {
            run = GeneratorHarness.Run(files);
        }
        catch (Exception e)
        {
            problems.Add("the run threw " + e);
            return problems;
        }

        var result = run.Result.Results.Single();
        if (result.Exception is not null) problems.Add("the generator threw " + result.Exception);
        foreach (var diagnostic in run.GeneratorDiagnostics)
        {
            if (diagnostic.Id is "AGAN000" or "CS8785" or "AD0001") problems.Add("crash: " + DiagnosticAssert.Format(diagnostic));
            problems.AddRange(DiagnosticAssert.LocationProblems(diagnostic, files));
        }

        // New model code (the catalogue only lists the names of models that compiled) is compiled with everything emitted beside it.
        var fresh = result.GeneratedSources.Where(s => s.HintName != "ModelCatalog.g.cs").Select(s => s.SourceText.ToString())
            .Where(s => !ShippedSources.Value.Contains(s)).ToList();
        if (fresh.Count > 0)
        {
            emitting++;
            if (compiled.Count < MaxCompileChecks && compiled.Add(string.Concat(fresh)))
            {
                compileClock.Start();
                problems.AddRange(run.CompileProblems.Select(d => "emitted code: " + d));
                compileClock.Stop();
            }
        }

        return problems;
    }

    private static string Report(string description, SpecText input, List<string> problems)
    {
        var text = input.Text.Length > 3000 ? input.Text.Substring(0, 3000) + $"… ({input.Text.Length} characters)" : input.Text;
        var escaped = new StringBuilder();
        foreach (char c in text) escaped.Append(c is '\n' or '\t' || (c >= ' ' && c < 0x7f) || (c > 0xa0 && !char.IsSurrogate(c)) ? c.ToString() : $"\\u{(int)c:x4}");
        return $"[{description}] {Path.GetFileName(input.Path)}:\n  " + string.Join("\n  ", problems.Take(5)) + "\n--- input ---\n" + escaped + "\n--- end ---";
    }

    private static (string, SpecText[]) One(string description, string path, string text) => (description, new[] { new SpecText(path, text) });

    /// <summary>Hand-made hostile inputs: empty, junk, limits, bombs.</summary>
    private static IEnumerable<(string, SpecText[])> SpecialInputs(string path)
    {
        var random = new Random(Seed + 1);
        yield return One("empty", path, "");
        yield return One("whitespace", path, " \n\t\n   ");
        yield return One("document markers", path, "---\n...\n---\n");
        yield return One("a scalar document", path, "just text");
        yield return One("a list document", path, "- 1\n- 2\n");
        yield return One("binary junk", path, new string(Enumerable.Range(0, 4000).Select(_ => (char)random.Next(0, 256)).ToArray()));
        yield return One("unicode junk", path, new string(Enumerable.Range(0, 4000).Select(_ => (char)random.Next(0, 0x10000)).ToArray()));
        yield return One("NUL bytes", path, "name: A\0B\nlatent: \0\n");
        yield return One("deep flow lists", path, "name: " + new string('[', 10_000) + new string(']', 10_000));
        yield return One("deep flow mappings", path, "name: " + string.Concat(Enumerable.Repeat("{a: ", 5_000)) + "1" + new string('}', 5_000));
        yield return One("deep block mappings", path, string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i) + "k:\n")));
        yield return One("deep block lists", path, string.Concat(Enumerable.Range(0, 200).Select(i => new string(' ', i * 2) + "-\n")));
        yield return One("unclosed flow list", path, "name: " + new string('[', 1000));
        yield return One("alias bomb", path, string.Concat(Enumerable.Range(0, 12).Select(i => $"l{i}: &l{i} [" + string.Join(", ", Enumerable.Repeat(i == 0 ? "x" : $"*l{i - 1}", 9)) + "]\n")));
        yield return One("alias bomb in mappings", path, string.Concat(Enumerable.Range(0, 10).Select(i => $"m{i}: &m{i} {{ " + string.Join(", ", Enumerable.Range(0, 8).Select(j => $"k{j}: " + (i == 0 ? "v" : $"*m{i - 1}"))) + " }\n")));
        yield return One("self alias", path, "a: &a [*a]\n");
        yield return One("undefined alias", path, "a: *nowhere\n");
        yield return One("merge key", path, "base_values: &v { resolution: 16 }\nimage:\n  <<: *v\n");
        yield return One("complex key", path, "? [a, b]\n: 1\n");
        yield return One("mapping key", path, "{a: 1}: 2\n");
        yield return One("tags", path, "name: !!binary aGVsbG8=\nlatent: !custom 16\n");
        yield return One("directives", path, "%YAML 1.1\n%TAG ! tag:x,2000:\n---\nname: X\n");
        yield return One("block scalars", path, "name: |\n  Multi\n  line\nlatent: >-\n  16\n");
        yield return One("a million characters", path, "name: X\n#" + new string('x', 1_000_001));
        yield return One("a long key", path, new string('k', 100_000) + ": 1\n");
        yield return One("a long value", path, "name: " + new string('N', 100_000) + "\n");
        yield return One("many keys", path, string.Concat(Enumerable.Range(0, 20_000).Select(i => $"k{i}: {i}\n")));
        yield return One("BOM and CRLF", path, "\uFEFFname: X\r\nlatent: 16\r\n");
        yield return One("lone surrogates", path, "name: \uD800\nlatent: \uDC00\n");
    }

    private static readonly string[] Numbers =
    {
        "99999999999999999999", "-1", "-0", "0", ".nan", ".inf", "-.inf", "1e308", "1e-320", "2147483648", "-2147483649",
        "65537", "16385", "0.5", "3.0", "1_000", "0x10", "+8", "1e3", "NaN", "∞", "[1, 2]", "{ a: 1 }", "null", "~", "\"16\"", "''",
    };

    /// <summary>Names that become members the emitted code already has, C# keywords, or no identifier at all.</summary>
    private static readonly string[] HostileNames =
    {
        "image_resolution", "attribute_width", "generator_parameter_count", "encode", "deconstruct", "print_members", "equals", "instance",
        "combination", "tiny_spec", "class", "int", "value__", "_", "__", "1st", "a-b", "a b", "Ä", "null", "true", "global", "System",
    };

    private static readonly char[] Controls = { '\0', '\u0001', '\u001b', '\t', '\r', '\v', '\f', '\u0085', '\u2028', '\uFEFF', '\uD800', '\uFFFF', '\u00a0' };

    private static readonly Regex Number = new(@"-?\d+(\.\d+)?(e-?\d+)?", RegexOptions.Compiled | RegexOptions.CultureInvariant);

    /// <summary>One of the shipped specs with one to three random damages; its base (if any) comes along unchanged.</summary>
    private static (string, SpecText[]) Mutate(IReadOnlyList<SpecText> shipped, Random random, int index)
    {
        var original = shipped[random.Next(shipped.Count)];
        var text = original.Text;
        var applied = new List<string>();
        int count = 1 + random.Next(3);
        for (int i = 0; i < count; i++)
        {
            var (name, mutated) = MutateOnce(text, random);
            applied.Add(name);
            text = mutated;
        }

        // Bring the rest of the shipped specs along now and then, so that base chains and catalogue names are exercised.
        var others = shipped.Where(s => s != original && (random.Next(4) == 0 || original.Text.Contains("base: " + Path.GetFileName(s.Path), StringComparison.Ordinal)));
        var files = new[] { new SpecText(original.Path, text) }.Concat(others).ToArray();
        return ($"#{index} {Path.GetFileName(original.Path)}: {string.Join(", ", applied)}", files);
    }

    private static (string, string) MutateOnce(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        int line = random.Next(lines.Count), at = random.Next(text.Length + 1);
        switch (random.Next(14))
        {
            case 0:
                lines.RemoveAt(line);
                return ($"delete line {line + 1}", string.Join('\n', lines));
            case 1:
                lines.Insert(line, lines[line]);
                return ($"duplicate line {line + 1}", string.Join('\n', lines));
            case 2:
                int other = random.Next(lines.Count);
                (lines[line], lines[other]) = (lines[other], lines[line]);
                return ($"swap lines {line + 1} and {other + 1}", string.Join('\n', lines));
            case 3:
                return ($"truncate at {at}", text.Substring(0, at));
            case 4:
            case 5:
                var numbers = Number.Matches(text);
                if (numbers.Count == 0) goto case 3;
                var match = numbers[random.Next(numbers.Count)];
                var replacement = random.Next(4) == 0 ? random.Next(-70000, 70000).ToString(System.Globalization.CultureInfo.InvariantCulture) : Numbers[random.Next(Numbers.Length)];
                return ($"number at {match.Index} → {replacement}", text.Substring(0, match.Index) + replacement + text.Substring(match.Index + match.Length));
            case 6:
                char b = (char)random.Next(0, 256);
                return ($"insert byte 0x{(int)b:x2} at {at}", text.Insert(at, b.ToString()));
            case 7:
                char c = Controls[random.Next(Controls.Length)];
                return ($"insert U+{(int)c:X4} at {at}", text.Insert(at, c.ToString()));
            case 8:
                int shift = random.Next(-3, 4);
                var indented = shift >= 0 ? new string(' ', shift) + lines[line] : lines[line].Substring(Math.Min(-shift, lines[line].Length - lines[line].TrimStart(' ').Length));
                if (random.Next(5) == 0) indented = "\t" + lines[line];
                lines[line] = indented;
                return ($"indent line {line + 1} by {shift}", string.Join('\n', lines));
            case 9:
                int length = Math.Min(random.Next(1, 8), text.Length - Math.Min(at, text.Length));
                return ($"delete {length} characters at {at}", text.Remove(Math.Min(at, text.Length), length));
            case 10:
                var words = Regex.Matches(text, "[a-z_]+").Select(m => m.Value).Distinct().ToList();
                if (words.Count < 2) goto case 3;
                var word = words[random.Next(words.Count)];
                int position = text.IndexOf(word, StringComparison.Ordinal);
                var swapped = random.Next(3) == 0 ? HostileNames[random.Next(HostileNames.Length)] : words[random.Next(words.Count)];
                return ($"word '{word}' → '{swapped}'", text.Substring(0, position) + swapped + text.Substring(position + word.Length));
            case 11:
                var anchor = "x" + random.Next(1000);
                lines.Insert(line, $"{anchor}: &{anchor} [" + string.Join(", ", Enumerable.Repeat("[*" + anchor + "]", 3)) + "]");
                lines.Insert(line, "bomb: &b [" + string.Join(", ", Enumerable.Repeat("[1, 2, 3, 4, 5, 6, 7, 8]", 8)) + "]\nbombs: [" + string.Join(", ", Enumerable.Repeat("*b", 2000)) + "]");
                return ($"alias bomb at line {line + 1}", string.Join('\n', lines));
            case 12:
                var names = Regex.Matches(text, @"(?m)^\s+([a-z_]+):\s*\[|\[([a-z_]+)[,\]]| ([a-z_]+)\]").Select(m => m.Groups.Cast<Group>().Skip(1).First(g => g.Success)).ToList();
                if (names.Count == 0) goto case 3;
                var target = names[random.Next(names.Count)];
                var hostile = HostileNames[random.Next(HostileNames.Length)];
                return ($"attribute or level '{target.Value}' → '{hostile}'", text.Substring(0, target.Index) + hostile + text.Substring(target.Index + target.Length));
            default:
                int depth = random.Next(30, 200);
                return ($"nesting {depth} deep at {at}", text.Insert(at, new string('[', depth) + new string(']', random.Next(depth + 1))));
        }
    }
}
