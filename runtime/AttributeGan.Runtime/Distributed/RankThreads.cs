using System;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// How many compute threads each rank gets when several ranks share one machine. libtorch sizes its thread pool
/// to every core of the machine, and its OpenMP threads spin while they wait: two ranks that both use every core
/// keep preempting each other's spinning threads and run many times slower than either alone. Ranks on one
/// machine therefore split its cores evenly.
/// </summary>
public static class RankThreads
{
    /// <summary>
    /// Threads per rank for this process, or null to leave libtorch's default (one rank on this machine).
    /// Hydra (MPICH's launcher) tells each rank how many ranks share its machine in MPI_LOCALNRANKS.
    /// </summary>
    public static int? ForThisMachine(Func<string, string?> environment, int processors)
    {
        if (!int.TryParse(environment("MPI_LOCALNRANKS"), out int localRanks) || localRanks <= 1) return null;
        return Math.Max(1, processors / localRanks);
    }

    /// <summary>Applies <see cref="ForThisMachine"/> to libtorch's intra-op thread pool; returns the count set, if any.</summary>
    public static int? Apply()
    {
        var threads = ForThisMachine(Environment.GetEnvironmentVariable, Environment.ProcessorCount);
        if (threads is { } count) TorchSharp.torch.set_num_threads(count);
        return threads;
    }
}
