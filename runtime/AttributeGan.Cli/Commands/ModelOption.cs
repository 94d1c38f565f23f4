using System.CommandLine;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Specs;

namespace AttributeGan.Cli.Commands;

/// <summary>The <c>--model NAME</c> option shared by commands, resolved against the catalogue with a helpful error.</summary>
internal static class ModelOption
{
    public static Option<string> Create() => new("--model", "-m")
    {
        Description = "A compiled model's name (see 'attributegan models').",
        Required = true,
    };

    public static IGanSpec Resolve(string name) =>
        ModelCatalog.Find(name) ?? throw new UserError(
            $"There is no model named '{name}'. Known models: {string.Join(", ", ModelCatalog.All.Select(s => s.Name))}.");
}
