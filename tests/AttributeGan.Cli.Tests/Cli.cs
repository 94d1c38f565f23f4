using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;

namespace AttributeGan.Cli.Tests;

/// <summary>Runs the attributegan executable from the test output folder, as a separate process.</summary>
internal static class Cli
{
    public static string Executable { get; } = Path.Combine(AppContext.BaseDirectory, "attributegan.dll");

    /// <summary>MPICH's launcher (Debian names it so when another MPI may own plain <c>mpiexec</c>).</summary>
    public const string MpiLauncher = "mpiexec.mpich";

    public static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Executable);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet");
    }

    /// <summary>Runs to completion (at most <paramref name="timeout"/>) and returns exit code and all output.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan timeout, params string[] arguments) => Wait(Start(arguments), timeout, arguments);

    /// <summary>
    /// Runs <c>mpiexec.mpich</c> with <paramref name="launch"/> (e.g. <c>-n 2 dotnet attributegan.dll train ...</c>,
    /// <see cref="Executable"/> included by the caller) to completion within <paramref name="timeout"/>.
    /// </summary>
    public static (int ExitCode, string Output) RunMpi(TimeSpan timeout, params string[] launch)
    {
        var start = new ProcessStartInfo(MpiLauncher) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in launch) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {MpiLauncher}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{MpiLauncher} is not installed ({e.Message}): apt-get install -y mpich", e);
        }
        return Wait(process, timeout, launch);
    }

    /// <summary>Runs any program (a script, say) to completion within <paramref name="timeout"/>: exit code and all output.</summary>
    public static (int ExitCode, string Output) RunProgram(ProcessStartInfo start, TimeSpan timeout)
    {
        start.RedirectStandardOutput = start.RedirectStandardError = true;
        start.UseShellExecute = false;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
        return Wait(process, timeout, start.ArgumentList.Prepend(start.FileName).ToArray(), program: "");
    }

    private static (int ExitCode, string Output) Wait(Process started, TimeSpan timeout, string[] arguments, string program = "attributegan ")
    {
        using var process = started;
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program}{string.Join(' ', arguments)} did not finish in {timeout}: {output}");
        }

        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }
}
