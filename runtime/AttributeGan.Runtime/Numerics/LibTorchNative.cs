using System;
using System.Runtime.InteropServices;

namespace AttributeGan.Runtime.Numerics;

/// <summary>
/// The few libtorch C++ functions TorchSharp 0.107 does not bind, called through their exported (mangled) symbols in
/// <c>libtorch_cpu</c>: the switch of libtorch's oneDNN kernels and the build's own description of itself.
/// </summary>
/// <remarks>
/// <c>at::Context::setUserEnabledMkldnn(bool)</c> is what PyTorch's <c>torch.backends.mkldnn.enabled</c> sets: with it
/// off, convolutions run on libtorch's reference kernels (im2col and BLAS). The string functions return
/// <c>std::string</c> by value; under the Itanium C++ ABI the caller passes the address of the result as a hidden first
/// argument, and libstdc++'s string is { char* data; size_t length; 16-byte inline buffer or capacity }, whose heap
/// buffer (when data does not point into the object) is freed with <c>operator delete</c>.
/// </remarks>
public static class LibTorchNative
{
    private const string Library = "libtorch_cpu";

    /// <summary>Whether libtorch may use its oneDNN (MKL-DNN) kernels; null where the switch cannot be reached (not Linux x64).</summary>
    public static bool? OneDnnEnabled
    {
        get
        {
            try
            {
                return UserEnabledMkldnn(GlobalContext());
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }
    }

    /// <summary>
    /// Switches libtorch's oneDNN kernels on or off for the whole process (read when each operation is dispatched, so it
    /// applies from the next operation on, backward passes included).
    /// </summary>
    /// <exception cref="PlatformNotSupportedException">The symbol is not exported by this libtorch build.</exception>
    public static void SetOneDnnEnabled(bool enabled)
    {
        try
        {
            SetUserEnabledMkldnn(GlobalContext(), enabled);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            throw new PlatformNotSupportedException(
                $"This libtorch build does not export at::Context::setUserEnabledMkldnn ({e.Message}); oneDNN cannot be switched off here.", e);
        }
    }

    /// <summary><c>at::show_config()</c>: compiler, BLAS, oneDNN, OpenMP, CPU capability and build settings.</summary>
    public static string? BuildConfiguration => Read(ShowConfig);

    /// <summary><c>at::get_mkldnn_version()</c>, e.g. "Intel(R) MKL-DNN v3.7.1 (Git Hash …)".</summary>
    public static string? OneDnnVersion => Read(MkldnnVersion);

    /// <summary><c>at::get_cpu_capability()</c>: the vector instruction set ATen's own kernels dispatch to (DEFAULT, AVX2, AVX512).</summary>
    public static string? CpuCapability => Read(GetCpuCapability);

    /// <summary>The libtorch version from the build settings (TORCH_VERSION=…), or null.</summary>
    public static string? Version
    {
        get
        {
            var config = BuildConfiguration;
            if (config is null) return null;
            const string key = "TORCH_VERSION=";
            int start = config.IndexOf(key, StringComparison.Ordinal);
            if (start < 0) return null;
            start += key.Length;
            int end = config.IndexOfAny(new[] { ',', ' ', '\n' }, start);
            return end < 0 ? config[start..] : config[start..end];
        }
    }

    private static string? Read(Func<IntPtr, IntPtr> function)
    {
        var result = Marshal.AllocHGlobal(32);          // sizeof(std::string) in libstdc++'s C++11 ABI
        try
        {
            function(result);
            var data = Marshal.ReadIntPtr(result);
            long length = Marshal.ReadInt64(result, IntPtr.Size);
            var text = Marshal.PtrToStringUTF8(data, checked((int)length));
            if (data != result + 2 * IntPtr.Size) OperatorDelete(data);   // not the inline buffer: heap memory
            return text;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
        finally
        {
            Marshal.FreeHGlobal(result);
        }
    }

#pragma warning disable SYSLIB1054 // plain DllImports of C++ symbols: LibraryImport would need unsafe code for the same calls
    [DllImport(Library, EntryPoint = "_ZN2at13globalContextEv")]
    private static extern IntPtr GlobalContext();

    [DllImport(Library, EntryPoint = "_ZNK2at7Context17userEnabledMkldnnEv")]
    [return: MarshalAs(UnmanagedType.U1)]
    private static extern bool UserEnabledMkldnn(IntPtr context);

    [DllImport(Library, EntryPoint = "_ZN2at7Context20setUserEnabledMkldnnEb")]
    private static extern void SetUserEnabledMkldnn(IntPtr context, [MarshalAs(UnmanagedType.U1)] bool enabled);

    [DllImport(Library, EntryPoint = "_ZN2at11show_configB5cxx11Ev")]
    private static extern IntPtr ShowConfig(IntPtr result);

    [DllImport(Library, EntryPoint = "_ZN2at18get_mkldnn_versionB5cxx11Ev")]
    private static extern IntPtr MkldnnVersion(IntPtr result);

    [DllImport(Library, EntryPoint = "_ZN2at18get_cpu_capabilityB5cxx11Ev")]
    private static extern IntPtr GetCpuCapability(IntPtr result);

    [DllImport("libstdc++.so.6", EntryPoint = "_ZdlPv")]
    private static extern void OperatorDelete(IntPtr pointer);
#pragma warning restore SYSLIB1054
}
