using System;
using System.Globalization;

namespace AttributeGan.Runtime.Distributed;

/// <summary>Choosing the collectives engine for this process, and failing a multi-rank job as a whole.</summary>
public static class Collectives
{
    /// <summary>
    /// MPI when this process was started by MPICH's launcher (Hydra: <c>mpiexec.mpich -n N</c> sets
    /// <c>PMI_RANK</c> and <c>PMI_SIZE</c> in every rank's environment) with N &gt; 1; otherwise
    /// <see cref="SingleProcessCollectives.Instance"/>, so a plain run never loads MPI. Call once per process; dispose
    /// the result at exit (on MPI this finalises, a collective step every rank must reach).
    /// </summary>
    public static ICollectives FromEnvironment() => FromEnvironment(Environment.GetEnvironmentVariable);

    internal static ICollectives FromEnvironment(Func<string, string?> environment)
    {
        var size = LauncherWorldSize(environment);
        return size > 1 ? MpiCollectives.InitializeWorld() : SingleProcessCollectives.Instance;
    }

    /// <summary>The number of ranks the launcher started, 1 outside a launcher.</summary>
    internal static int LauncherWorldSize(Func<string, string?> environment)
    {
        // Open MPI's launcher (often /usr/bin/mpiexec when both are installed) sets only its own variables: without
        // this check every rank would silently train alone.
        var openMpiSize = environment("OMPI_COMM_WORLD_SIZE");
        if (!string.IsNullOrEmpty(openMpiSize) && openMpiSize != "1")
            throw new InvalidOperationException($"This job was started by Open MPI's mpiexec ({openMpiSize} ranks), whose ABI the engine does not speak; start it with MPICH's: mpiexec.mpich -n {openMpiSize} ... ({MpiNative.InstallHint} if it is missing).");
        var text = environment("PMI_SIZE");
        if (string.IsNullOrEmpty(text)) return 1;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
            throw new InvalidOperationException($"PMI_SIZE is '{text}', not a positive number of ranks; start the job with mpiexec.mpich -n N.");
        return size;
    }

    /// <summary>
    /// Runs <paramref name="body"/>. On a job of more than one rank an exception does not propagate: the rank prints
    /// <c>rank R of N failed: Type: message</c> (and the stack) and aborts the whole job with
    /// <paramref name="exitCode"/>, because its peers would otherwise wait forever in their next collective.
    /// In a single process the exception propagates unchanged.
    /// </summary>
    public static void RunOrAbort(ICollectives collectives, Action body, int exitCode = 1)
    {
        ArgumentNullException.ThrowIfNull(body);
        RunOrAbort(collectives, () =>
        {
            body();
            return 0;
        }, exitCode);
    }

    /// <inheritdoc cref="RunOrAbort(ICollectives, Action, int)"/>
    public static T RunOrAbort<T>(ICollectives collectives, Func<T> body, int exitCode = 1)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        ArgumentNullException.ThrowIfNull(body);
        if (exitCode == 0) throw new ArgumentOutOfRangeException(nameof(exitCode), exitCode, "A failed job must exit non-zero.");
        try
        {
            return body();
        }
        catch (Exception e) when (collectives.WorldSize > 1)
        {
            collectives.Abort(exitCode, FailureMessage(collectives, e));
            throw;   // Abort does not return; this keeps the compiler and a misbehaving engine honest.
        }
    }

    internal static string FailureMessage(ICollectives collectives, Exception e) =>
        $"rank {collectives.Rank} of {collectives.WorldSize} failed: {e.GetType().FullName}: {e.Message}{Environment.NewLine}{e}";
}
