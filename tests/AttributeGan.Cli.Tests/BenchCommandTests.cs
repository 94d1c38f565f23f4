using System;
using System.Text.Json;
using Xunit;

namespace AttributeGan.Cli.Tests;

public sealed class BenchCommandTests
{
    private static readonly TimeSpan Minutes = TimeSpan.FromMinutes(3);

    [Fact]
    public void Bench_prints_throughput_and_utilisation_as_json_with_the_process_settings_applied()
    {
        var (code, output) = Cli.Run(Minutes, "bench", "--model", "Tiny", "--steps", "1", "--warmup", "0", "--skip", "data", "--skip", "generator", "--skip", "frechet", "--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        var model = json.RootElement.GetProperty("models")[0];
        Assert.Equal("Tiny", model.GetProperty("model").GetString());
        Assert.True(model.GetProperty("training").GetProperty("imagesPerSecond").GetDouble() > 0);
        Assert.True(model.GetProperty("trainingUtilisation").GetDouble() > 0);
        Assert.Equal(2, model.GetProperty("attention").GetArrayLength());
        var machine = json.RootElement.GetProperty("machine");
        if (OperatingSystem.IsLinux() && Environment.GetEnvironmentVariable("OMP_WAIT_POLICY") is null)
        {
            // Set by the executable before libtorch loaded: the report reads the C environment libgomp saw.
            Assert.Contains("OMP_WAIT_POLICY=PASSIVE", machine.GetProperty("openMp").GetString());
        }
        Assert.False(string.IsNullOrEmpty(machine.GetProperty("allocator").GetString()));
    }

    [Fact]
    public void An_unknown_section_to_skip_is_an_error_naming_the_known_ones()
    {
        var (code, output) = Cli.Run(Minutes, "bench", "--skip", "everything");

        Assert.Equal(2, code);
        Assert.Contains("--skip takes attention, data, generator or frechet", output);
    }
}
