using System;
using Xunit;

namespace AttributeGan.Runtime.Tests;

public sealed class NativeTuningTests
{
    [Fact]
    public void On_Linux_the_allocator_settings_are_accepted_once()
    {
        var first = NativeTuning.Apply();
        var second = NativeTuning.Apply();

        Assert.Same(first, second);
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable(NativeTuning.SwitchVariable) == "0") return;
        // glibc refuses an mmap threshold above 32 MiB (mallopt returns 0); each accepted setting is listed.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_"))) Assert.Contains("malloc mmap threshold 32 MiB", first);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("MALLOC_TRIM_THRESHOLD_"))) Assert.Contains("malloc trim threshold 1 GiB", first);
    }
}
