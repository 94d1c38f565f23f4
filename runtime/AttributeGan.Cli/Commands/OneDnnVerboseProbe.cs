using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;

namespace AttributeGan.Cli.Commands;

/// <summary>Which instruction set oneDNN dispatched to and which convolution kernels it picked, as it reported them.</summary>
/// <param name="Isa">oneDNN's own description, e.g. "Intel AVX-512 with Intel DL Boost and bfloat16 support".</param>
/// <param name="Convolutions">One line per distinct convolution kernel run: direction, implementation, source layout, problem.</param>
internal sealed record OneDnnDispatch(string Isa, IReadOnlyList<string> Convolutions);

/// <summary>
/// Runs the known-defect probes in a child process with <c>ONEDNN_VERBOSE=1</c> and reads oneDNN's own report. A child,
/// because oneDNN reads the setting once, at its first primitive, and then prints a line for every operation to the
/// process's standard output.
/// </summary>
internal static class OneDnnVerboseProbe
{
    /// <summary>The hidden doctor option that makes the child run the probes and nothing else.</summary>
    public const string ChildOption = "--onednn-verbose-child";

    public static OneDnnDispatch? Run(TimeSpan timeout)
    {
        try
        {
            var start = new ProcessStartInfo { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
            start.FileName = host;
            // Under 'dotnet attributegan.dll' the process is the dotnet host: the child needs the application's path.
            if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            start.ArgumentList.Add("doctor");
            start.ArgumentList.Add(ChildOption);
            start.Environment["ONEDNN_VERBOSE"] = "1";

            using var child = Process.Start(start) ?? throw new InvalidOperationException("the child did not start");
            var errors = child.StandardError.ReadToEndAsync();
            var output = child.StandardOutput.ReadToEnd();
            if (!child.WaitForExit((int)timeout.TotalMilliseconds))
            {
                child.Kill(entireProcessTree: true);
                return null;
            }
            _ = errors.Result;
            return child.ExitCode == 0 ? Parse(output) : null;
        }
        catch (Exception e) when (e is InvalidOperationException or System.ComponentModel.Win32Exception or IOException)
        {
            return null;
        }
    }

    /// <summary>Reads oneDNN's verbose lines: the <c>isa:</c> information line and each executed convolution.</summary>
    public static OneDnnDispatch? Parse(string output)
    {
        string? isa = null;
        var convolutions = new List<string>();
        foreach (var line in output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith("onednn_verbose,", StringComparison.Ordinal)))
        {
            var fields = line.Split(',');
            int info = Array.IndexOf(fields, "info");
            if (info >= 0 && fields.Length > info + 2 && fields[info + 1] == "cpu" && fields[info + 2].StartsWith("isa:", StringComparison.Ordinal))
            {
                isa = string.Join(",", fields.Skip(info + 2))["isa:".Length..];
                continue;
            }
            // onednn_verbose,v1,primitive,exec,cpu,convolution,<implementation>,<propagation>,<memory descriptors>,<attributes>,<auxiliary>,<problem>,<time>
            int kind = Array.IndexOf(fields, "convolution");
            if (fields.Contains("exec") && kind >= 0 && fields.Length > kind + 6)
            {
                var source = fields[kind + 3].Split(' ').FirstOrDefault(d => d.StartsWith("src:", StringComparison.Ordinal)) ?? "";
                var layout = source.Split(':').ElementAtOrDefault(4) ?? "?";
                var entry = $"{fields[kind + 2]}: {fields[kind + 1]}, source layout {layout}, {fields[kind + 6]}";
                if (!convolutions.Contains(entry)) convolutions.Add(entry);
            }
        }
        return isa is null && convolutions.Count == 0 ? null : new OneDnnDispatch(isa ?? "?", convolutions);
    }
}
