using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace AttributeGan.Runtime.Numerics;

/// <summary>
/// What the numbers of this process are computed with: the CPU (model, vector extensions, the cache sizes it reports,
/// which oneDNN's kernels use to choose their blocking), the libraries' versions, and the settings that select kernels.
/// </summary>
/// <param name="CacheSizes">The CPU's cache sizes as the kernel lists them, or a statement that it reports none.</param>
/// <param name="OneDnnMaxIsa">ONEDNN_MAX_CPU_ISA if set: a cap on the instruction set oneDNN's kernels may use.</param>
public sealed record BackendInfo(
    string Cpu,
    string VectorExtensions,
    string CacheSizes,
    int LogicalCores,
    string Os,
    string DotNet,
    string TorchSharp,
    string LibTorch,
    string OneDnn,
    string AtenCpuCapability,
    bool? OneDnnEnabled,
    int Threads,
    string OpenMpWaitPolicy,
    string? OneDnnMaxIsa)
{
    public static BackendInfo Capture() => new(
        CpuDescription(),
        VectorFlags(),
        Caches(),
        Environment.ProcessorCount,
        RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription,
        typeof(global::TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "?",
        LibTorchNative.Version ?? "?",
        LibTorchNative.OneDnnVersion ?? "?",
        LibTorchNative.CpuCapability ?? "?",
        LibTorchNative.OneDnnEnabled,
        global::TorchSharp.torch.get_num_threads(),
        NativeEnvironment("OMP_WAIT_POLICY") ?? "(unset)",
        NativeEnvironment("ONEDNN_MAX_CPU_ISA"));

    /// <summary>
    /// The CPU's model name with family and model numbers (virtual machines often report a bare "AMD EPYC"; the numbers
    /// tell generations apart), or the process architecture where /proc/cpuinfo does not exist.
    /// </summary>
    public static string CpuDescription()
    {
        var fields = CpuInfo();
        if (!fields.TryGetValue("model name", out var name)) return RuntimeInformation.ProcessArchitecture.ToString();
        return $"{name} (family {fields.GetValueOrDefault("cpu family", "?")}, model {fields.GetValueOrDefault("model", "?")})";
    }

    /// <summary>The vector extensions that select kernels: AVX2, AVX-512 and its bf16/VNNI/FP16 parts, AMX.</summary>
    public static string VectorFlags()
    {
        var flags = CpuInfo().GetValueOrDefault("flags", "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        var named = new[] { "avx2", "avx512f", "avx512_vnni", "avx512_bf16", "avx512_fp16", "avx_vnni", "amx_tile" }.Where(flags.Contains).ToList();
        return named.Count == 0 ? (flags.Count == 0 ? "unknown" : "no AVX2") : string.Join(" ", named);
    }

    private static string Caches()
    {
        const string root = "/sys/devices/system/cpu/cpu0/cache";
        try
        {
            if (!Directory.Exists(root)) return "none reported (the CPU's CPUID cache leaves are empty)";
            var caches = Directory.EnumerateDirectories(root, "index*").OrderBy(d => d, StringComparer.Ordinal).Select(d =>
            {
                string Read(string name) => File.Exists(Path.Combine(d, name)) ? File.ReadAllText(Path.Combine(d, name)).Trim() : "?";
                var type = Read("type") switch { "Data" => "d", "Instruction" => "i", _ => "" };
                return $"L{Read("level")}{type} {Read("size")}";
            }).ToList();
            return caches.Count == 0 ? "none reported (the CPU's CPUID cache leaves are empty)" : string.Join(", ", caches);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "unknown";
        }
    }

    private static Dictionary<string, string> CpuInfo()
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if (line.Length == 0) break;                       // the first processor's block is enough
                int colon = line.IndexOf(':');
                if (colon > 0) fields.TryAdd(line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Not Linux: no fields.
        }
        return fields;
    }

    /// <summary>An environment variable as native code sees it (.NET's copy does not see a native setenv).</summary>
    public static string? NativeEnvironment(string name)
    {
        if (!OperatingSystem.IsLinux()) return Environment.GetEnvironmentVariable(name);
        var value = getenv(name);
        return value == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(value);
    }

#pragma warning disable SYSLIB1054 // a plain DllImport of one libc call: LibraryImport would need unsafe code
    [DllImport("libc", EntryPoint = "getenv")]
    private static extern IntPtr getenv([MarshalAs(UnmanagedType.LPUTF8Str)] string name);
#pragma warning restore SYSLIB1054
}
