using System.CommandLine;
using System.Globalization;
using AttributeGan.Models;

namespace AttributeGan.Cli.Commands;

/// <summary><c>attributegan models</c>: one line per compiled spec.</summary>
internal static class ModelsCommand
{
    public static Command Create(SpecCatalog catalog)
    {
        var command = new Command("models", "List the models compiled from specs/*.yaml.");
        command.SetAction(_ =>
        {
            foreach (var spec in catalog)
            {
                var line = string.Format(CultureInfo.InvariantCulture,
                    "{0,-29} {1,4}px  G {2,11:N0}  D {3,11:N0}  {4}",
                    spec.Name, spec.Resolution, spec.GeneratorParameters, spec.DiscriminatorParameters, spec.SourceFile);
                System.Console.WriteLine(line);
            }

            return 0;
        });
        return command;
    }
}
