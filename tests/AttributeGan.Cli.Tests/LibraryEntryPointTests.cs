using System;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using Xunit;

namespace AttributeGan.Cli.Tests;

/// <summary>
/// The command line as a library (<see cref="AttributeGanCli"/>): a program passes its own compiled specs and gets every
/// command for those, and only those, models. Runs in process; the exit codes tell what happened.
/// </summary>
public sealed class LibraryEntryPointTests
{
    private static readonly SpecCatalog TinyOnly = new(new IGanSpec[] { TinySpec.Instance });

    [Fact]
    public void Every_command_is_there_for_any_catalogue()
    {
        var names = AttributeGanCli.CreateRootCommand(TinyOnly).Subcommands.Select(c => c.Name).OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(new[] { "bench", "classifier", "describe", "doctor", "evaluate", "interpolate", "models", "sample", "synth", "train" }, names);
    }

    [Fact]
    public void Commands_know_the_catalogues_models_and_no_others()
    {
        var root = AttributeGanCli.CreateRootCommand(TinyOnly);
        Assert.Equal(0, root.Parse(new[] { "describe", "--model", "tiny", "--json" }).Invoke());
        Assert.Equal(2, root.Parse(new[] { "describe", "--model", "AttributeGan64" }).Invoke());   // shipped, but not in this catalogue
    }

    [Fact]
    public void Synth_takes_the_catalogues_default_model()
    {
        var synth = AttributeGanCli.CreateRootCommand(TinyOnly).Subcommands.Single(c => c.Name == "synth");
        var parsed = synth.Parse(new[] { "--out", "unused" });
        var model = synth.Options.Single(o => o.Name == "--model");
        Assert.Equal("Tiny", parsed.GetValue<string>(model.Name));
    }

    [Fact]
    public void A_program_without_specs_or_with_two_of_one_name_gets_an_error_not_an_exception()
    {
        Assert.Equal(AttributeGanCli.NoModels, AttributeGanCli.Run(new[] { "models" }, Array.Empty<IGanSpec>()));
        Assert.Equal(AttributeGanCli.NoModels, AttributeGanCli.Run(new[] { "models" }, new IGanSpec[] { TinySpec.Instance, TinySpec.Instance }));
        Assert.Equal(0, AttributeGanCli.Run(new[] { "models" }, ModelCatalog.All));
    }
}
