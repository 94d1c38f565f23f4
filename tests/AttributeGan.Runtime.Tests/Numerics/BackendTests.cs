using AttributeGan.Models.Numerics;
using AttributeGan.Runtime.Numerics;
using Xunit;

namespace AttributeGan.Runtime.Tests.Numerics;

/// <summary>The libtorch functions TorchSharp does not bind, and the defect probes with oneDNN off (right on every CPU).</summary>
public sealed class BackendTests
{
    [Fact]
    public void The_build_reports_its_versions_and_the_oneDNN_switch_round_trips()
    {
        Assert.Equal("2.10.0", LibTorchNative.Version);
        Assert.Contains("v3.7.1", LibTorchNative.OneDnnVersion);
        Assert.Contains(LibTorchNative.CpuCapability, new[] { "DEFAULT", "AVX2", "AVX512" });
        Assert.True(LibTorchNative.OneDnnEnabled);
        try
        {
            LibTorchNative.SetOneDnnEnabled(false);
            Assert.False(LibTorchNative.OneDnnEnabled);
        }
        finally
        {
            LibTorchNative.SetOneDnnEnabled(true);
        }
        Assert.True(LibTorchNative.OneDnnEnabled);
    }

    [Fact]
    public void With_oneDNN_off_libtorch_computes_every_probed_operation_right_at_one_and_two_threads()
    {
        try
        {
            LibTorchNative.SetOneDnnEnabled(false);
            foreach (var threads in new[] { 1, 2 })
            {
                foreach (var probe in IntraOpThreads.With(threads, () => KnownDefects.Probe(repeats: 2)))
                {
                    Assert.False(probe.Present, $"{probe.Name} at {threads} thread(s): relative error {probe.RelativeError}");
                    Assert.InRange(probe.RelativeError, 0, 1e-5);
                }
            }
        }
        finally
        {
            LibTorchNative.SetOneDnnEnabled(true);
        }
    }

    [Fact]
    public void The_backend_description_names_the_CPU_and_libraries()
    {
        var info = BackendInfo.Capture();

        Assert.False(string.IsNullOrWhiteSpace(info.Cpu));
        Assert.Equal("2.10.0", info.LibTorch);
        Assert.Equal("0.107.0", info.TorchSharp);
        Assert.True(info.Threads >= 1);
        Assert.NotEqual("unknown", info.CacheSizes);
    }
}
