using System;
using System.Diagnostics;
using System.Linq;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Distributed.Probe;

/// <summary>All-reduce of 10 M float32 (40 MB): median time of several, and the bytes reduced per second.</summary>
internal static class BandwidthScenario
{
    private const int Elements = 10_000_000;
    private const int Repeats = 9;

    public static void Run(ICollectives c)
    {
        var tensor = torch.ones(Elements, ScalarType.Float32);
        c.AllReduceSum(tensor);   // warm-up: connection set-up and first-touch of the pages
        var times = new double[Repeats];
        for (var i = 0; i < Repeats; i++)
        {
            c.Barrier();
            var watch = Stopwatch.StartNew();
            c.AllReduceSum(tensor);
            times[i] = watch.Elapsed.TotalMilliseconds;
        }

        var median = times.OrderBy(t => t).ElementAt(Repeats / 2);
        Report.Line(c, "bandwidth.elements", Elements);
        Report.Line(c, "bandwidth.median_ms", Math.Round(median, 2));
        Report.Line(c, "bandwidth.min_ms", Math.Round(times.Min(), 2));
        Report.Line(c, "bandwidth.gb_per_s", Math.Round(Elements * 4.0 / (median / 1000) / 1e9, 3));
        // Ones, summed 1 + Repeats times over the ranks: WorldSize^(1 + Repeats) proves every reduction happened.
        Report.Line(c, "bandwidth.value", tensor[0].item<float>());
    }
}
