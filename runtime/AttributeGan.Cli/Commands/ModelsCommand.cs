using System.CommandLine;
using System.Globalization;
using AttributeGan.Models.Specs;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary><c>attributegan models</c>: one line per compiled spec.</summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "List the models compiled from specs/*.yaml.");
        command.SetAction(_ =>
        {
            foreach (var spec in ModelCatalog.All)
            {
                var line = string.Format(CultureInfo.InvariantCulture,
                    "{0,-30} {1,4}×{1,-4} G {2,12:N0} params  D {3,12:N0} params  {4}",
                    spec.Name, spec.Resolution, spec.GeneratorParameters, spec.DiscriminatorParameters, spec.SourceFile);
                AnsiConsole.WriteLine(line);
            }

            return 0;
        });
        return command;
    }
}
