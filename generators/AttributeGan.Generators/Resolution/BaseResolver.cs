using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using AttributeGan.Generators.Diagnostics;
using AttributeGan.Generators.Model;
using AttributeGan.Generators.Parsing;

namespace AttributeGan.Generators.Resolution;

/// <summary>
/// Merges each spec with its <c>base:</c> chain (mmdetection's <c>_base_</c> idea): mappings merge key by key, a
/// <c>null</c> value removes an inherited key, lists and scalars replace. Also reports model names used twice.
/// </summary>
internal static class BaseResolver
{
    public const string BaseKey = "base";

    /// <param name="documents">Every spec file of the compilation.</param>
    /// <param name="hasErrors">Whether a (base) spec fails to compile by itself; the caller passes the compiler's check, so
    /// resolution does not depend on the stages after it.</param>
    public static EquatableArray<ResolvedDocument> ResolveAll(ImmutableArray<ParsedDocument> documents, Func<MappingNode, string, bool> hasErrors)
    {
        var byPath = new Dictionary<string, ParsedDocument>(StringComparer.Ordinal);
        foreach (var document in documents) byPath[Normalise(document.Path)] = document;

        var resolver = new ChainResolver(byPath, hasErrors);
        var resolved = documents.OrderBy(d => d.Path, StringComparer.Ordinal).Select(resolver.Resolve).ToList();
        return ReportDuplicateNames(resolved).ToEquatableArray();
    }

    internal static string Normalise(string path)
    {
        try
        {
            return System.IO.Path.GetFullPath(path).Replace('\\', '/');
        }
        catch (Exception)
        {
            return path.Replace('\\', '/');
        }
    }

    private static IEnumerable<ResolvedDocument> ReportDuplicateNames(List<ResolvedDocument> resolved)
    {
        var names = resolved
            .Select(d => (Document: d, Name: d.Root?.Find("name")?.Value as ScalarNode))
            .Where(x => x.Name is { IsNull: false })
            .GroupBy(x => x.Name!.Value, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .SelectMany(g => g.Select(x => (x.Document, x.Name, Others: g.Where(o => o.Document != x.Document).Select(o => o.Document.FileName))))
            .ToDictionary(x => x.Document, x => (x.Name!, x.Others));

        foreach (var document in resolved)
        {
            if (!names.TryGetValue(document, out var clash))
            {
                yield return document;
                continue;
            }

            // A spec that inherits its name hears of the clash in its own file, at its base: key.
            var location = clash.Item1.Location.Path == document.Path ? clash.Item1.Location : document.BaseKey ?? LocationInfo.FileStart(document.Path);
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateModelName, location, clash.Item1.Value, string.Join(", ", clash.Others));
            yield return document with { Diagnostics = document.Diagnostics.Append(diagnostic).ToEquatableArray() };
        }
    }

    private sealed class ChainResolver(Dictionary<string, ParsedDocument> byPath, Func<MappingNode, string, bool> hasErrors)
    {
        private readonly Dictionary<string, bool> compilesCleanly = new(StringComparer.Ordinal);

        public ResolvedDocument Resolve(ParsedDocument document)
        {
            var diagnostics = new List<DiagnosticInfo>(document.Diagnostics);
            var outcome = Merge(document, new List<string>());
            if (outcome.Problem is not null) diagnostics.Add(outcome.Problem);
            return new ResolvedDocument(document.Path, outcome.Root, diagnostics.ToEquatableArray(), document.Root?.Find(BaseKey)?.Key.Location);
        }

        /// <summary>Whether a base compiles by itself: if not, its own file reports why, and its children only hear AGAN032.</summary>
        private bool CompilesCleanly(string path, MappingNode root)
        {
            if (!compilesCleanly.TryGetValue(path, out bool clean))
                compilesCleanly[path] = clean = !hasErrors(root, path);
            return clean;
        }

        /// <summary>Merges <paramref name="document"/> over its bases; <paramref name="chain"/> holds the files below it.</summary>
        private Outcome Merge(ParsedDocument document, List<string> chain)
        {
            if (document.Root is null) return Outcome.Failed(null);
            var baseEntry = document.Root.Find(BaseKey);
            if (baseEntry is null) return new Outcome(document.Root, null, null);

            if (baseEntry.Value is not ScalarNode { IsNull: false } baseName)
                return Outcome.Failed(DiagnosticInfo.Create(DiagnosticDescriptors.WrongType, baseEntry.Value.Location, "'base'", "the file name of another spec", baseEntry.Value.KindName));

            var directory = System.IO.Path.GetDirectoryName(document.Path) ?? "";
            var basePath = Normalise(System.IO.Path.Combine(directory, baseName.Value));
            if (!byPath.TryGetValue(basePath, out var baseDocument))
                return Outcome.Failed(DiagnosticInfo.Create(DiagnosticDescriptors.BaseNotFound, baseName.Location, baseName.Value, basePath));

            var here = Normalise(document.Path);
            var below = new List<string>(chain) { here };
            int loopStart = below.IndexOf(basePath);
            if (loopStart >= 0)
            {
                var loop = string.Join(" → ", below.Skip(loopStart).Append(basePath).Select(System.IO.Path.GetFileName));
                return new Outcome(null, DiagnosticInfo.Create(DiagnosticDescriptors.CyclicBase, baseName.Location, loop), loop);
            }

            var inherited = Merge(baseDocument, below);
            if (inherited.Loop is not null)
                return new Outcome(null, DiagnosticInfo.Create(DiagnosticDescriptors.CyclicBase, baseName.Location, inherited.Loop), inherited.Loop);
            if (inherited.Root is null || inherited.Problem is not null || baseDocument.Diagnostics.Count > 0 || !CompilesCleanly(basePath, inherited.Root))
                return Outcome.Failed(DiagnosticInfo.Create(DiagnosticDescriptors.BaseHasErrors, baseName.Location, baseName.Value));

            return new Outcome(MergeMappings(inherited.Root, Without(document.Root, BaseKey)), null, null);
        }

        private static MappingNode Without(MappingNode mapping, string key) =>
            mapping with { Entries = mapping.Entries.Where(e => e.Key.Value != key).ToEquatableArray() };

        /// <summary>Child over base: mappings merge, null removes, anything else replaces.</summary>
        private static MappingNode MergeMappings(MappingNode baseMap, MappingNode child)
        {
            var entries = new List<MappingEntry>();
            foreach (var baseEntry in baseMap.Entries)
            {
                var over = child.Find(baseEntry.Key.Value);
                if (over is null) entries.Add(baseEntry);
                else if (over.Value is ScalarNode { IsNull: true }) continue;
                else if (over.Value is MappingNode overMap && baseEntry.Value is MappingNode baseValue) entries.Add(new MappingEntry(over.Key, MergeMappings(baseValue, overMap)));
                else entries.Add(over);
            }

            foreach (var entry in child.Entries)
                if (baseMap.Find(entry.Key.Value) is null && entry.Value is not ScalarNode { IsNull: true }) entries.Add(entry);

            return new MappingNode(entries.ToEquatableArray(), child.Location);
        }

        /// <param name="Loop">The file names of a base cycle, when one was found.</param>
        private sealed record Outcome(MappingNode? Root, DiagnosticInfo? Problem, string? Loop)
        {
            public static Outcome Failed(DiagnosticInfo? problem) => new(null, problem, null);
        }
    }
}
