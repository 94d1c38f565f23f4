using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Xunit;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>
/// One run of <c>mpiexec.mpich -n 2 dotnet AttributeGan.Distributed.Probe.dll &lt;scenario&gt;</c> from the test
/// output folder: exit code, both output streams (drained while it runs, so a chatty job cannot block on a full
/// pipe), and the <c>RESULT rank=R key=value</c> facts per rank.
/// </summary>
internal sealed class ProbeJob
{
    public const int Ranks = 2;
    private const string Launcher = "mpiexec.mpich";

    private ProbeJob(int exitCode, string output, string error, TimeSpan elapsed)
    {
        ExitCode = exitCode;
        Output = output;
        Error = error;
        Elapsed = elapsed;
        foreach (var line in output.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.StartsWith("RESULT rank=", StringComparison.Ordinal)))
        {
            var space = line.IndexOf(' ', "RESULT rank=".Length);
            var rank = int.Parse(line["RESULT rank=".Length..space], System.Globalization.CultureInfo.InvariantCulture);
            var pair = line[(space + 1)..];
            var equals = pair.IndexOf('=');
            Results.Add((rank, pair[..equals], pair[(equals + 1)..]));
        }
    }

    public int ExitCode { get; }

    public string Output { get; }

    public string Error { get; }

    public TimeSpan Elapsed { get; }

    public List<(int Rank, string Key, string Value)> Results { get; } = new();

    /// <summary>The value a rank reported for <paramref name="key"/>; fails the test when it did not report it.</summary>
    public string Value(int rank, string key)
    {
        var found = Results.Where(r => r.Rank == rank && r.Key == key).ToList();
        Assert.True(found.Count == 1, $"rank {rank} reported {key} {found.Count} times (want once). Output:\n{Output}\nErrors:\n{Error}");
        return found[0].Value;
    }

    /// <summary>Runs the scenario to completion; a job still running after <paramref name="timeout"/> is killed and fails the test.</summary>
    public static ProbeJob Run(string scenario, TimeSpan timeout) =>
        Run(FindLauncher(), new[] { "-n", Ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "dotnet", Probe(), scenario }, timeout);

    /// <summary>One probe process started without the launcher, with extra environment variables.</summary>
    public static ProbeJob RunAlone(string scenario, TimeSpan timeout, params (string Name, string Value)[] environment) =>
        Run("dotnet", new[] { Probe(), scenario }, timeout, environment);

    private static string Probe()
    {
        var probe = Path.Combine(AppContext.BaseDirectory, "AttributeGan.Distributed.Probe.dll");
        Assert.True(File.Exists(probe), $"{probe} is missing: build the solution (the test project references the probe).");
        return probe;
    }

    private static ProbeJob Run(string program, string[] arguments, TimeSpan timeout, params (string Name, string Value)[] environment)
    {
        var scenario = arguments[^1];
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment) start.Environment[name] = value;

        var output = new StringBuilder();
        var error = new StringBuilder();
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (error) error.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            lock (output) lock (error) Assert.Fail($"{program} ... {scenario} did not finish within {timeout}.\nOutput:\n{output}\nErrors:\n{error}");
        }

        process.WaitForExit();   // drains the asynchronous readers
        var elapsed = watch.Elapsed;
        lock (output) lock (error) return new ProbeJob(process.ExitCode, output.ToString(), error.ToString(), elapsed);
    }

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1} s\nOutput:\n{Output}\nErrors:\n{Error}";

    // A missing MPICH must fail loudly with the fix, never skip: the distributed engine is part of the product.
    private static string FindLauncher()
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, Launcher))
            .FirstOrDefault(File.Exists);
        Assert.True(path is not null, $"MPICH is not installed ({Launcher} is not on PATH): apt-get install -y mpich");
        return path!;
    }
}
