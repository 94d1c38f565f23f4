using System;
using System.Collections.Generic;
using AttributeGan.Models.Numerics;
using AttributeGan.Runtime.Numerics;
using Xunit;

namespace AttributeGan.Runtime.Tests.Numerics;

/// <summary>
/// What training does with the check's result, on any machine: passes quietly, refuses a failure with a message that
/// names the block, the error and the fix, and with the fallback switches oneDNN off and trains once the check passes.
/// </summary>
public sealed class NumericsGateTests
{
    private static NumericsReport Report(bool passing) => new("Tiny", "cpu", 2, 2, new[]
    {
        new BlockCheck("generator", "stage8", "UpBlock", new[] { new Deviation("output", 1e-7), new Deviation("input 0 gradient", 2e-7) }, false, TimeSpan.Zero),
        new BlockCheck("generator", "to_image", "OutputConv", new[] { new Deviation("output", 1e-7), new Deviation("input 0 gradient", passing ? 3e-7 : 0.87) }, !passing, TimeSpan.Zero),
    }, TimeSpan.FromSeconds(0.2));

    [Fact]
    public void A_passing_check_is_recorded_and_changes_nothing()
    {
        var messages = new List<string>();

        var record = NumericsGate.Require(() => Report(passing: true), onCpu: true, fallback: false, messages.Add);

        Assert.True(record.Passed);
        Assert.Equal("on", record.OneDnn);
        Assert.Equal(3e-7, record.LargestRelativeError);
        Assert.Equal("generator to_image: input 0 gradient", record.LargestIn);
        Assert.Single(messages);
        Assert.True(LibTorchNative.OneDnnEnabled);
    }

    [Fact]
    public void A_failing_check_refuses_to_train_naming_the_block_the_error_and_the_fallback()
    {
        var error = Assert.Throws<NumericsCheckException>(() => NumericsGate.Require(() => Report(passing: false), onCpu: true, fallback: false, _ => { }));

        Assert.Contains("generator block 'to_image' (OutputConv): input 0 gradient off by 8.7e-1 relative to float64", error.Message);
        Assert.Contains("1 of 2 blocks of Tiny", error.Message);
        Assert.Contains("--numerics-fallback", error.Message);
        Assert.Contains(NumericsGate.FallbackCost, error.Message);
        Assert.True(LibTorchNative.OneDnnEnabled);
    }

    [Fact]
    public void The_fallback_switches_oneDNN_off_and_trains_once_the_check_passes_there()
    {
        int calls = 0;
        try
        {
            // The first check fails as on a defective machine; the second runs with oneDNN off.
            var record = NumericsGate.Require(() => ++calls == 1 ? Report(passing: false) : Report(passing: LibTorchNative.OneDnnEnabled == false),
                onCpu: true, fallback: true, _ => { });

            Assert.Equal(2, calls);
            Assert.False(LibTorchNative.OneDnnEnabled);
            Assert.True(record.Passed);
            Assert.Equal("off", record.OneDnn);
            Assert.Contains("to_image", record.FailedFirst);
        }
        finally
        {
            LibTorchNative.SetOneDnnEnabled(true);
        }
    }

    [Fact]
    public void A_check_that_fails_with_oneDNN_off_too_is_refused()
    {
        try
        {
            var error = Assert.Throws<NumericsCheckException>(() => NumericsGate.Require(() => Report(passing: false), onCpu: true, fallback: true, _ => { }));
            Assert.Contains("even with libtorch's oneDNN kernels off", error.Message);
            Assert.Contains("attributegan doctor", error.Message);
        }
        finally
        {
            LibTorchNative.SetOneDnnEnabled(true);
        }
    }
}
