using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using AttributeGan.Cli.Commands;
using AttributeGan.Models;
using Spectre.Console;

namespace AttributeGan.Cli;

/// <summary>
/// The <c>attributegan</c> command line as a library: a program that compiles its own specs gets every command (models,
/// describe, synth, train, sample, interpolate, classifier, evaluate, bench, doctor) for its own models with one line,
/// <c>return AttributeGanCli.Run(args, ModelCatalog.All);</c>, where <c>ModelCatalog</c> is the one generated into that
/// program's namespace. The <c>attributegan</c> executable of this repository is that line with the shipped catalogue.
/// </summary>
public static class AttributeGanCli
{
    /// <summary>Exit code when the program compiled no spec at all.</summary>
    public const int NoModels = 2;

    /// <param name="args">The program's arguments.</param>
    /// <param name="models">The compiled specs the commands work with, e.g. a generated <c>ModelCatalog.All</c>.</param>
    /// <returns>The exit code (0 success, 2 a mistake in what was asked for, 3 a diverged run, 4 a failed numerics check).</returns>
    public static int Run(string[] args, IEnumerable<IGanSpec> models)
    {
        ArgumentNullException.ThrowIfNull(models);
        if (models is SpecCatalog catalog) return Run(args, catalog);
        var list = models.ToList();
        if (list.Count == 0)
        {
            AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(
                "this program compiled no model: add a YAML spec to its specs/ folder (see the spec language reference) and build again."));
            return NoModels;
        }
        try
        {
            catalog = new SpecCatalog(list);
        }
        catch (ArgumentException e)
        {
            AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)));
            return NoModels;
        }
        return Run(args, catalog);
    }

    /// <inheritdoc cref="Run(string[], IEnumerable{IGanSpec})"/>
    public static int Run(string[] args, SpecCatalog catalog)
    {
        // Before any tensor exists: libtorch's OpenMP threads sleep rather than spin while waiting (see OpenMpWaiting).
        AttributeGan.Runtime.OpenMpWaiting.PreferPassive();

        // Piped or logged output is not wrapped at 80 columns.
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 160;

        return CreateRootCommand(catalog).Parse(args).Invoke();
    }

    /// <summary>Every command, for a program that adds commands of its own before it parses its arguments.</summary>
    public static RootCommand CreateRootCommand(SpecCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var root = new RootCommand("AttributeGan: multi-attribute controllable synthesis of histopathology images, from YAML specs to trained models.");
        root.Subcommands.Add(ModelsCommand.Create(catalog));
        root.Subcommands.Add(DescribeCommand.Create(catalog));
        root.Subcommands.Add(SynthCommand.Create(catalog));
        root.Subcommands.Add(TrainCommand.Create(catalog));
        root.Subcommands.Add(SampleCommand.Create(catalog));
        root.Subcommands.Add(InterpolateCommand.Create(catalog));
        root.Subcommands.Add(ClassifierCommand.Create(catalog));
        root.Subcommands.Add(EvaluateCommand.Create(catalog));
        root.Subcommands.Add(BenchCommand.Create(catalog));
        root.Subcommands.Add(DoctorCommand.Create(catalog));
        return root;
    }
}
