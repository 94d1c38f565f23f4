using System;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>Runs a command body and turns a <see cref="UserError"/> into one red line and exit code 2.</summary>
internal static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (UserError error)
        {
            AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(error.Message));
            return 2;
        }
    }
}
