using System.Collections.Generic;
using AttributeGan.Generators.Diagnostics;
using AttributeGan.Generators.Model;
using Microsoft.CodeAnalysis;

namespace AttributeGan.Generators.Binding;

/// <summary>
/// What binding and validation share: the diagnostics found so far and where each value of the spec was written
/// (by path, e.g. <c>generator.stages[2].resolution</c>), so that rules checked after binding still point at the YAML.
/// </summary>
internal sealed class BindingContext(LocationInfo fileStart)
{
    private readonly Dictionary<string, LocationInfo> locations = new();

    public List<DiagnosticInfo> Diagnostics { get; } = new();

    public bool HasErrors
    {
        get
        {
            foreach (var diagnostic in Diagnostics)
                if (DiagnosticDescriptors.ById(diagnostic.Id).DefaultSeverity == DiagnosticSeverity.Error) return true;
            return false;
        }
    }

    public void Record(string path, LocationInfo location) => locations[path] = location;

    /// <summary>Where <paramref name="path"/> was written, or its nearest written ancestor (a default lives in its parent).</summary>
    public LocationInfo LocationOf(string path)
    {
        while (true)
        {
            if (locations.TryGetValue(path, out var location)) return location;
            int cut = path.LastIndexOfAny(new[] { '.', '[' });
            if (cut <= 0) return locations.TryGetValue(path, out location) ? location : fileStart;
            path = path.Substring(0, cut);
        }
    }

    public void Report(DiagnosticDescriptor descriptor, string path, params object[] arguments) =>
        Diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationOf(path), arguments));

    public void Report(DiagnosticDescriptor descriptor, LocationInfo location, params object[] arguments) =>
        Diagnostics.Add(DiagnosticInfo.Create(descriptor, location, arguments));
}
