using System;
using System.Runtime.InteropServices;

namespace AttributeGan.Runtime;

/// <summary>
/// Makes libtorch's OpenMP threads sleep instead of spinning while they wait for work, unless the user chose a
/// policy (OMP_WAIT_POLICY). libgomp's default spins 300,000 pauses (several milliseconds) before sleeping: when any
/// other process occupies a core, every parallel region waits for a descheduled partner that its spinning sibling keeps
/// off the CPU. Passive waiting loses a little on an idle machine and wins by far when anything else runs (measurements:
/// README, *Performance*, "Threads"), and several processes on few cores (test projects, ranks of a data-parallel job)
/// are the common case here.
/// </summary>
public static class OpenMpWaiting
{
    /// <summary>Call first thing in a process, before any tensor exists: libgomp reads the policy when it loads.</summary>
    public static void PreferPassive()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        if (Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is not null) return;
        // Environment.SetEnvironmentVariable changes only .NET's copy on Unix; libgomp reads the C environment.
        _ = setenv("OMP_WAIT_POLICY", "PASSIVE", 0);
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int setenv(string name, string value, int overwrite);
}
