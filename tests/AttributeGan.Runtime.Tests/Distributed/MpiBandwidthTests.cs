using System.Globalization;
using Xunit;
using Xunit.Abstractions;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>
/// All-reduce of 10 M floats between two local ranks. Times are machine- and load-dependent, so they are reported,
/// not asserted; the test asserts that every timed reduction really summed.
/// </summary>
public class MpiBandwidthTests
{
    private readonly ITestOutputHelper _output;

    public MpiBandwidthTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Ten_million_floats_are_all_reduced_repeatedly_and_the_rate_is_reported()
    {
        var job = MpiCollectivesTests.Completed("bandwidth");
        for (var rank = 0; rank < ProbeJob.Ranks; rank++)
        {
            Assert.Equal("10000000", job.Value(rank, "bandwidth.elements"));
            Assert.Equal("1024", job.Value(rank, "bandwidth.value"));   // ones summed over 2 ranks, 10 times: 2^10
            var median = double.Parse(job.Value(rank, "bandwidth.median_ms"), CultureInfo.InvariantCulture);
            Assert.True(median > 0, job.ToString());
        }

        _output.WriteLine($"all-reduce of 10 M float32, 2 ranks: median {job.Value(0, "bandwidth.median_ms")} ms, {job.Value(0, "bandwidth.gb_per_s")} GB/s");
    }
}
