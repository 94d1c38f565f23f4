using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Text.Json;
using AttributeGan.Runtime.Numerics;
using static TorchSharp.torch;

namespace AttributeGan.Benchmarks;

/// <summary>
/// Where the numbers came from: CPU, cores, library versions, the thread counts libtorch used and how busy the machine
/// was (load average before and after), so a table can be judged and reproduced.
/// </summary>
public sealed record MachineInfo(
    string CpuModel,
    int LogicalCores,
    string Os,
    string DotNet,
    string TorchSharp,
    string LibTorch,
    int TorchThreads,
    int TorchInteropThreads,
    string OpenMp,
    string OneDnnKernels,
    string Allocator,
    double LoadAverageBefore,
    double LoadAverageAfter)
{
    /// <summary>A run is flagged as taken under load when another process kept more than a quarter of the cores busy.</summary>
    public bool UnderLoad => Math.Max(LoadAverageBefore, LoadAverageAfter) > LogicalCores * 1.25;

    public static MachineInfo Capture() => new(
        ReadCpuModel(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "?",
        LibTorchPackage(),
        get_num_threads(),
        get_num_interop_threads(),
        OmpSettings(),
        LibTorchNative.OneDnnEnabled switch { true => "on", false => "off", null => "unknown" },
        AllocatorSettings(),
        LoadAverage(),
        double.NaN);

    public MachineInfo Finished() => this with { LoadAverageAfter = LoadAverage() };

    /// <summary>
    /// The OpenMP wait settings libgomp saw: read from the C environment, where the executables set them at start
    /// (.NET's own copy of the environment does not see a native setenv).
    /// </summary>
    private static string OmpSettings() =>
        $"OMP_WAIT_POLICY={Native("OMP_WAIT_POLICY") ?? "(unset)"}, GOMP_SPINCOUNT={Native("GOMP_SPINCOUNT") ?? "(unset)"}";

    /// <summary>glibc malloc's tunables given in the environment (scripts/bench.sh measures one set), or "glibc defaults".</summary>
    private static string AllocatorSettings()
    {
        var set = new[] { "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_", "MALLOC_ARENA_MAX" }
            .Select(name => Native(name) is { } value ? $"{name}={value}" : null).OfType<string>().ToList();
        return set.Count == 0 ? "glibc defaults" : string.Join(", ", set);
    }

    private static string? Native(string name) => BackendInfo.NativeEnvironment(name);

    /// <summary>One-minute load average from /proc/loadavg (NaN where there is none). Our own process counts too.</summary>
    public static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return double.NaN;
        }
    }

    /// <summary>Model, family and model numbers, and the widest vector unit (virtual machines often report a bare "AMD EPYC").</summary>
    private static string ReadCpuModel()
    {
        var flags = " " + BackendInfo.VectorFlags() + " ";
        string vector = flags.Contains(" avx512f ", StringComparison.Ordinal) ? "AVX-512" : flags.Contains(" avx2 ", StringComparison.Ordinal) ? "AVX2" : "no AVX2";
        var cpu = BackendInfo.CpuDescription();
        return cpu.EndsWith(')') ? cpu[..^1] + ", " + vector + ")" : cpu;
    }

    /// <summary>The libtorch native package the application was built with, read from its deps.json.</summary>
    private static string LibTorchPackage()
    {
        try
        {
            var candidates = ((AppContext.GetData("APP_CONTEXT_DEPS_FILES") as string)?.Split(Path.PathSeparator) ?? Array.Empty<string>())
                .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.deps.json"));
            foreach (var deps in candidates.Where(File.Exists))
            {
                using var document = JsonDocument.Parse(File.ReadAllText(deps));
                if (!document.RootElement.TryGetProperty("libraries", out var libraries)) continue;
                var name = libraries.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n.StartsWith("libtorch-", StringComparison.OrdinalIgnoreCase));
                if (name is not null) return name.Replace('/', ' ');
            }
            return "?";
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "?";
        }
    }
}
