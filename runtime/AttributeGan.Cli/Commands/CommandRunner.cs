using System;
using System.IO;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.Training;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// Runs a command body. Problems with what the user asked for or gave (options, data, run directories) print one
/// red line that names the file or option and the fix, exit code 2; a diverged run exits 3; anything unexpected
/// prints its message first and the stack trace after it, exit code 70.
/// </summary>
internal static class CommandRunner
{
    public static int Run(Func<int> body)
    {
        try
        {
            return body();
        }
        catch (Exception e) when (e is UserError or CheckpointException or DataSetException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            // ArgumentException appends "(Parameter 'x')": the message already names what is wrong.
            Error(e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message);
            return 2;
        }
        catch (TrainingDivergedException e)
        {
            Error(e.Message);
            return 3;
        }
        catch (Exception e)
        {
            Error($"unexpected {e.GetType().Name}: {e.Message}");
            AnsiConsole.WriteLine(e.ToString());
            return 70;
        }
    }

    private static void Error(string message) => AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(message));
}
