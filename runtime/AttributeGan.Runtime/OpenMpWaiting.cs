using System;
using System.Runtime.InteropServices;

namespace AttributeGan.Runtime;

/// <summary>
/// Makes libtorch's OpenMP threads sleep instead of spinning while they wait for work, unless the user chose a
/// policy (OMP_WAIT_POLICY). Measured on a 2-core machine: the training step with synchronisable batch norm ran at
/// 1 image/s with spinning threads and 14.5 with sleeping ones (AttributeGan64, batch 16), and several processes
/// on few cores (test projects, ranks) stop preempting each other's spinning threads.
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
