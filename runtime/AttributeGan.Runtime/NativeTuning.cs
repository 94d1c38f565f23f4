using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace AttributeGan.Runtime;

/// <summary>
/// Process-wide settings of the native memory allocator under libtorch, applied by the executables before the first
/// tensor exists. Linux with glibc only; elsewhere nothing happens. A <c>MALLOC_*_</c> variable set by the user wins;
/// <c>ATTRIBUTEGAN_NATIVE_TUNING=0</c> switches all of it off.
/// <para>glibc malloc with these settings serves allocations up to 32 MiB from the heap (no mmap/munmap per tensor) and
/// keeps up to 1 GiB of freed memory instead of returning it to the system. Every training step frees its temporaries
/// at once (one dispose scope); with glibc's defaults the next step faulted them back in page by page (about 10,000
/// page faults per AttributeGan64 step at batch 16, 1,500–3,000 with these settings). Numerics are unaffected.</para>
/// <para>Thread settings are deliberately not touched: libtorch's results depend on its thread count (a different
/// count gives different rounding), and runs promise bit-identical results for one seed.</para>
/// </summary>
public static class NativeTuning
{
    public const string SwitchVariable = "ATTRIBUTEGAN_NATIVE_TUNING";

    private const int MallocTrimThreshold = -1;
    private const int MallocTopPad = -2;
    private const int MallocMmapThreshold = -3;

    private static readonly object Gate = new();
    private static IReadOnlyList<string>? applied;

    /// <summary>What <see cref="Apply"/> set, e.g. "malloc trim threshold 1 GiB" (empty when switched off or not on Linux).</summary>
    public static IReadOnlyList<string> Applied => applied ?? Array.Empty<string>();

    /// <summary>Applies the settings once; call it first thing in Main, before tensors are allocated.</summary>
    public static IReadOnlyList<string> Apply()
    {
        lock (Gate)
        {
            if (applied is not null) return applied;
            var done = new List<string>();
            if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable(SwitchVariable) != "0")
            {
                try
                {
                    if (Unset("MALLOC_MMAP_THRESHOLD_") && mallopt(MallocMmapThreshold, 32 << 20) == 1) done.Add("malloc mmap threshold 32 MiB");
                    if (Unset("MALLOC_TRIM_THRESHOLD_") && mallopt(MallocTrimThreshold, 1 << 30) == 1) done.Add("malloc trim threshold 1 GiB");
                    if (Unset("MALLOC_TOP_PAD_") && mallopt(MallocTopPad, 64 << 20) == 1) done.Add("malloc top pad 64 MiB");
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
                {
                    // Not glibc (e.g. musl): keep the library defaults.
                }
            }
            applied = done;
            return applied;
        }
    }

    private static bool Unset(string name) => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name));

#pragma warning disable SYSLIB1054 // a plain DllImport of one blittable libc call: LibraryImport would need unsafe code
    [DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);
#pragma warning restore SYSLIB1054
}
