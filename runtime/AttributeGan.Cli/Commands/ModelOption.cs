using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using AttributeGan.Models;

namespace AttributeGan.Cli.Commands;

/// <summary>The <c>--model NAME</c> option shared by commands, resolved against the catalogue with a helpful error.</summary>
internal static class ModelOption
{
    public static Option<string> Create() => new("--model", "-m")
    {
        Description = "A compiled model's name (see 'attributegan models').",
        Required = true,
    };

    /// <summary>A repeatable <c>--model</c> for commands that default to every spec a CPU handles in seconds (at most 64×64).</summary>
    /// <param name="purpose">What the command does with a model, e.g. "benchmark".</param>
    public static Option<string[]> CreateRepeatable(string purpose) => new("--model", "-m")
    {
        Description = $"A compiled model to {purpose} (repeatable; default: every spec of at most 64×64).",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>The named specs, or every spec of at most 64×64 when none is named.</summary>
    public static IReadOnlyList<IGanSpec> ResolveOrSmall(SpecCatalog catalog, IReadOnlyList<string> names) =>
        names.Count == 0 ? catalog.Where(s => s.Resolution <= 64).ToList() : names.Select(n => Resolve(catalog, n)).ToList();

    public static IGanSpec Resolve(SpecCatalog catalog, string name) =>
        catalog.Find(name) ?? throw new UserError($"There is no model named '{name}'. Known models: {catalog.Names}.");
}
