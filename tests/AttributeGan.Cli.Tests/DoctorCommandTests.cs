using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using AttributeGan.Runtime.Checkpoints;
using Xunit;

namespace AttributeGan.Cli.Tests;

/// <summary><c>doctor</c> reports what the machine computes with and checks the models; <c>train</c> records its check.</summary>
public sealed class DoctorCommandTests : IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly string root = Path.Combine(Path.GetTempPath(), "attributegan-doctor-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Doctor_reports_versions_the_oneDNN_instruction_set_the_known_defects_and_a_passing_check()
    {
        var (code, output) = Cli.Run(Minute, "doctor", "--model", "Tiny", "--json");
        Assert.True(code == 0, output);

        using var json = JsonDocument.Parse(output[output.IndexOf('{')..]);
        var top = json.RootElement;
        Assert.True(top.GetProperty("passed").GetBoolean());
        Assert.Equal("2.10.0", top.GetProperty("backend").GetProperty("libTorch").GetString());
        Assert.Contains("v3.7.1", top.GetProperty("backend").GetProperty("oneDnn").GetString());
        // oneDNN's own report, read from a child process with ONEDNN_VERBOSE=1: its instruction set and the kernels it ran.
        var dispatch = top.GetProperty("oneDnnDispatch");
        Assert.False(string.IsNullOrWhiteSpace(dispatch.GetProperty("isa").GetString()));
        Assert.Contains(dispatch.GetProperty("convolutions").EnumerateArray(), c => c.GetString()!.StartsWith("backward_data", StringComparison.Ordinal));
        // Each known defect probed at 1 thread and at libtorch's thread count, present or not on this machine.
        var probes = top.GetProperty("knownDefects").EnumerateArray().ToList();
        Assert.Equal(1, probes[0].GetProperty("threads").GetInt32());
        Assert.All(probes, p => Assert.Equal(3, p.GetProperty("probes").GetArrayLength()));
        var tiny = top.GetProperty("models").EnumerateArray().Single();
        Assert.Equal("Tiny", tiny.GetProperty("model").GetString());
        Assert.Equal(AttributeGan.Models.Specs.TinySpec.Instance.GeneratorLayers.Count + AttributeGan.Models.Specs.TinySpec.Instance.DiscriminatorLayers.Count,
            tiny.GetProperty("blocks").GetArrayLength());
        Assert.All(tiny.GetProperty("blocks").EnumerateArray(), b => Assert.True(b.GetProperty("passed").GetBoolean()));
    }

    [Fact]
    public void Doctor_with_the_fallback_checks_with_oneDNN_off()
    {
        var (code, output) = Cli.Run(Minute, "doctor", "--model", "Tiny", "--numerics-fallback");
        Assert.True(code == 0, output);
        Assert.Contains("off (--numerics-fallback)", output);
        Assert.Contains("Every block of 1 model(s) matches its float64 reference", output);
    }

    [Fact]
    public void Training_prints_and_records_the_numerics_check()
    {
        var run = Path.Combine(root, "run");
        var (code, output) = Cli.Run(Minute, "train", "--model", "Tiny", "--out", run, "--steps", "1", "--synthetic-count", "16", "--numerics-fallback");
        Assert.True(code == 0, output);
        int blocks = AttributeGan.Models.Specs.TinySpec.Instance.GeneratorLayers.Count + AttributeGan.Models.Specs.TinySpec.Instance.DiscriminatorLayers.Count;
        Assert.Contains($"numerics: Tiny: {blocks} blocks match their float64 reference", output);

        var check = RunManifest.Read(Path.Combine(run, "run.json")).NumericsChecks.Single();
        Assert.True(check.Passed);
        Assert.True(RunManifest.Read(Path.Combine(run, "run.json")).Options.NumericsFallback);
    }
}
