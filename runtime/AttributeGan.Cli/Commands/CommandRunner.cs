using System;
using System.IO;
using AttributeGan.Runtime;
using AttributeGan.Runtime.Distributed;
using AttributeGan.Runtime.Numerics;
using AttributeGan.Runtime.Training;
using Spectre.Console;

namespace AttributeGan.Cli.Commands;

/// <summary>
/// Runs a command body. Problems with what the user asked for or gave (options, data, run directories: a
/// <see cref="UserInputException"/>, or the BCL's argument and file errors) print one red line that names the file or
/// option and the fix, exit code 2; a diverged run exits 3; a failed numerics check
/// (this machine's kernels disagree with their float64 reference) exits 4; anything unexpected prints its message first
/// and the stack trace after it, exit code 70.
/// </summary>
internal static class CommandRunner
{
    /// <param name="body">The command.</param>
    /// <param name="group">
    /// The data-parallel group the command runs in, if any. With more than one rank a failure must not simply return:
    /// the other ranks would wait forever in their next collective. The failing rank prints its error naming itself
    /// and aborts the whole job with the same exit code.
    /// </param>
    /// <param name="flags">The command's options that set library settings: a refused setting is reported under its flag.</param>
    public static int Run(Func<int> body, ICollectives? group = null, SettingFlags? flags = null)
    {
        var (code, message, detail) = Execute(body, flags);
        if (message is null) return code;
        if (group is { WorldSize: > 1 })
        {
            group.Abort(code, $"error: rank {group.Rank} of {group.WorldSize} failed: {message}" + (detail is null ? "" : Environment.NewLine + detail));
        }
        Error(message);
        if (detail is not null) AnsiConsole.WriteLine(detail);
        return code;
    }

    /// <returns>The exit code, and for a failure its one-line message and, for unexpected ones, the stack trace.</returns>
    private static (int Code, string? Message, string? Detail) Execute(Func<int> body, SettingFlags? flags)
    {
        try
        {
            return (body(), null, null);
        }
        catch (InvalidSettingException e)
        {
            return (2, flags?.Message(e) ?? e.Message, null);
        }
        catch (Exception e) when (e is UserInputException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            // ArgumentException appends "(Parameter 'x')": the message already names what is wrong.
            return (2, e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", "") : e.Message, null);
        }
        catch (TrainingDivergedException e)
        {
            return (3, e.Message, null);
        }
        catch (NumericsCheckException e)
        {
            return (4, e.Message, null);
        }
        catch (Exception e)
        {
            return (70, $"unexpected {e.GetType().Name}: {e.Message}", e.ToString());
        }
    }

    private static void Error(string message) => AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(message));
}
