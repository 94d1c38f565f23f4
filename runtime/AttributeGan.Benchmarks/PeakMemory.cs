using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace AttributeGan.Benchmarks;

/// <summary>
/// Peak memory of an action as the rise of the process's resident-set high-water mark. libtorch's CPU allocator keeps
/// no statistics (it is plain malloc), so the kernel's accounting is the honest measure: free heap is first returned to
/// the system (<c>malloc_trim</c>), the high-water mark is reset to the current resident set (writing 5 to
/// <c>/proc/self/clear_refs</c>, Linux ≥ 4.0), the action runs, and <c>VmHWM − VmRSS(before)</c> is its peak. It
/// includes allocator slack and anything else the process touched meanwhile, so it is an upper bound of the tensors'
/// own peak; memory reused from pages already resident would hide, which the trim prevents.
/// </summary>
public static class PeakMemory
{
    /// <summary>Whether this system supports the measurement (Linux with a writable clear_refs).</summary>
    public static bool Available { get; } = Probe();

    public const string Method = "rise of VmHWM over VmRSS after malloc_trim and a clear_refs reset (Linux)";

    /// <summary>Runs <paramref name="action"/> and returns its peak resident-set rise in bytes, or null where unsupported.</summary>
    public static long? Measure(Action action)
    {
        if (!Available)
        {
            action();
            return null;
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        Trim();
        long before = ReadStatusBytes("VmRSS");
        File.WriteAllText("/proc/self/clear_refs", "5");
        action();
        long peak = ReadStatusBytes("VmHWM");
        return Math.Max(0, peak - before);
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return ReadStatusBytes("VmHWM") > 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return false;
        }
    }

    private static void Trim()
    {
        try
        {
            malloc_trim(0);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc: the measurement may under-count reused pages; nothing else to do.
        }
    }

    /// <summary>A "Name:   123 kB" line of /proc/self/status, in bytes.</summary>
    private static long ReadStatusBytes(string name)
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        var kilobytes = line[(name.Length + 1)..].Trim().Split(' ')[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
    }

#pragma warning disable SYSLIB1054 // a plain DllImport of one blittable call: LibraryImport would need unsafe code
    [DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int malloc_trim(nuint pad);
#pragma warning restore SYSLIB1054
}

/// <summary>Minor page faults of this process so far (/proc/self/stat field 10; 0 where unavailable).</summary>
public static class PageFaults
{
    public static long Minor()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            // Fields after the command name, which is in parentheses and may contain spaces.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[7], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return 0;
        }
    }
}
