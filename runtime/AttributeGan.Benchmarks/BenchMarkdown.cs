using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AttributeGan.Benchmarks;

/// <summary>The report as Markdown tables (for <c>docs/results/bench.md</c>) or as JSON.</summary>
public static class BenchMarkdown
{
    public static string Json(BenchReport report) => JsonSerializer.Serialize(report, new JsonSerializerOptions
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter() },
    });

    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {report.Started:yyyy-MM-dd HH:mm zzz} on {m.CpuModel}, {m.LogicalCores} logical cores, {m.Os}; {m.DotNet}; TorchSharp {m.TorchSharp}, {m.LibTorch}.");
        md.Append(CultureInfo.InvariantCulture, $"libtorch threads: {m.TorchThreads} intra-op, {m.TorchInteropThreads} inter-op; {m.OpenMp}; oneDNN kernels {m.OneDnnKernels}; allocator: {m.Allocator}. ");
        md.Append(CultureInfo.InvariantCulture, $"Load average {F(m.LoadAverageBefore, 2)} before, {F(m.LoadAverageAfter, 2)} after");
        md.AppendLine(m.UnderLoad ? " — **taken under load: absolute numbers are pessimistic, ratios still hold**." : " (quiet).");
        md.AppendLine();

        md.Append(CultureInfo.InvariantCulture, $"**Matrix multiply** (float32, {report.Matmul.Size}² × {report.Matmul.Size}², {report.Matmul.Threads} threads): ");
        md.AppendLine(CultureInfo.InvariantCulture, $"**{F(report.Matmul.Gflops, 1)} GFLOP/s** (median of {report.Matmul.Time.Count}, {F(report.Matmul.Time.MedianMs, 1)} ms each).");
        md.AppendLine();

        md.AppendLine("### Throughput and model FLOP utilisation");
        md.AppendLine();
        md.AppendLine("| model | batch | training step, ms (p10–p90) | training images/s | training GFLOP/s | training MFU | matmul next to the steps, GFLOP/s | **training MFU, paired** | sampling images/s (EMA G, no grad) | sampling MFU | CPU ms per step | page faults per step |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var b in report.Models)
        {
            var t = b.Training.Step;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {b.Model} | {b.Training.Batch} | {F(t.MedianMs, 0)} ({F(t.P10Ms, 0)}–{F(t.P90Ms, 0)}) | {F(b.Training.ImagesPerSecond, 1)} | {F(b.TrainingGflops, 1)} | {P(b.TrainingUtilisation)} | {(b.Training.Paired is { } paired ? F(paired.MatmulMedianGflops, 1) : "—")} | **{(b.PairedTrainingUtilisation is { } u ? P(u) : "—")}** | {F(b.Sampling.ImagesPerSecond, 0)} | {P(b.SamplingUtilisation)} | {F(b.Training.CpuMsPerStep, 0)} | {F(b.Training.PageFaultsPerStep, 0)} |");
        }
        md.AppendLine();
        md.Append(CultureInfo.InvariantCulture, $"MFU: {ModelFlops.Formula}. ");
        md.AppendLine("G = generator forward, Dt = discriminator trunk + patch logits + projection, " +
            "Dc = contrastive heads, Dr = reconstruction decoders, all compile-time MACs per image (backward counted as 2× forward where weights are trained, " +
            "1× for D in the generator step, whose gradient only passes through D). Sampling MFU: 2·G per image. " +
            "Training MFU divides by the matmul rate above; the paired MFU divides each timed step by the rate of one matmul run just " +
            "before it, the median over steps: on a shared machine whose speed drifts, the limit the step actually ran against.");
        md.AppendLine();
        md.AppendLine("| model | G MACs | Dt MACs | Dc MACs | Dr MACs | training MACs/image | training GFLOP/image |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var b in report.Models)
        {
            var f = b.Flops;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {b.Model} | {M(f.Generator)} | {M(f.DiscriminatorTrunk)} | {M(f.DiscriminatorContrastive)} | {M(f.DiscriminatorReconstruction)} | {M(f.TrainingMacsPerImage)} | {F(f.TrainingFlopsPerImage / 1e9, 3)} |");
        }
        md.AppendLine();

        if (report.Models.Any(b => b.Attention.Count > 0))
        {
            md.AppendLine("### Efficient vs dot-product attention (forward + backward of the whole block)");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Peak memory: {PeakMemory.Method}.");
            md.AppendLine();
            md.AppendLine("| model | layer | batch × C × H × W | heads × d_k | efficient | dot-product | dot-product, fused SDPA |");
            md.AppendLine("| --- | --- | --- | --- | ---: | ---: | ---: |");
            foreach (var a in report.Models.SelectMany(b => b.Attention))
            {
                string Cell(string kind)
                {
                    var v = a.Variants.Single(x => x.Kind == kind);
                    var ratio = kind == AttentionComparison.Efficient ? "" : $" ({F(a.SlowdownOf(kind), 1)}×)";
                    return $"{F(v.ForwardBackward.MedianMs, 2)} ms{ratio}, {Mib(v.PeakBytes)}";
                }
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {a.Model} | {a.Layer} | {a.Batch} × {a.Channels} × {a.Resolution} × {a.Resolution} | {a.Heads} × {a.KeyDim} | {Cell(AttentionComparison.Efficient)} | {Cell(AttentionComparison.DotProduct)} | {Cell(AttentionComparison.Fused)} |");
            }
            md.AppendLine();
        }

        if (report.Models.Any(b => b.Data is not null))
        {
            md.AppendLine("### Data pipeline (BatchLoader, prefetch on the thread pool, alone on the machine) vs training");
            md.AppendLine();
            md.AppendLine("| model | source | work | images/s | × training rate |");
            md.AppendLine("| --- | --- | --- | ---: | ---: |");
            foreach (var b in report.Models.Where(b => b.Data is not null))
            {
                foreach (var row in b.Data!.Rows)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {b.Model} | {row.Source} | {row.Work} | {F(row.ImagesPerSecond, 0)} | {F(row.ImagesPerSecond / b.Training.ImagesPerSecond, 1)} |");
                }
            }
            md.AppendLine();
        }

        if (report.Generator is { } g)
        {
            md.AppendLine("### Source generator (GeneratorDriver.GetTimingInfo)");
            md.AppendLine();
            md.AppendLine("| specs | files | generated files | first run in process, ms | uncached (new driver), ms | cached (unchanged input), ms |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in g.Rows)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Specs} | {row.Files} | {row.GeneratedFiles} | {F(row.FirstRunMs, 1)} | {F(row.Uncached.MedianMs, 2)} | {F(row.Cached.MedianMs, 3)} |");
            }
            md.AppendLine();
        }

        if (report.Frechet is { } fd)
        {
            md.AppendLine("### Fréchet distance (evaluation's metric), float64");
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"Two sets of features, fed {FrechetTiming.FeedBatch} rows at a time into the streaming statistics as `evaluate` feeds them, then the distance (symmetric eigendecompositions).");
            md.AppendLine();
            md.AppendLine("| features | D | samples per set | statistics of both sets, ms | distance, ms | total, s |");
            md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
            foreach (var row in fd.Rows)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {row.Features} | {row.Dimensions} | {row.Samples:N0} | {F(row.StatisticsMs, 0)} | {F(row.DistanceMs, 0)} | {F(row.TotalMs / 1000, 2)} |");
            }
            md.AppendLine();
            if (fd.Extraction is { } x)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"Producing the features: {x.Network} (ImageNet ResNet-18 at 224×224) extracts **{F(x.ImagesPerSecond, 1)} images/s** (batch {x.Batch}, median of {x.Batches.Count}), " +
                    $"so 2 × 10,000 images take about {F(20_000 / x.ImagesPerSecond / 60, 1)} min; the distance itself is the small part.");
                md.AppendLine();
            }
        }

        foreach (var p in report.Models.Select(b => b.Profile).OfType<ProfileResult>())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"### Where {p.Model}'s training step goes (batch {p.Batch}; each layer re-timed alone on its captured inputs)");
            md.AppendLine();
            md.AppendLine("| network | layer | block | MACs/image | fwd ms | fwd no-grad ms | fwd+bwd ms | fwd + input-only bwd ms | per step | ms per step | share | fwd+bwd GFLOP/s |");
            md.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |");
            foreach (var l in p.Layers)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {l.Network} | {l.Layer} | {l.Kind} | {M(l.MacsPerImage)} | {F(l.ForwardMs, 2)} | {F(l.ForwardNoGradMs, 2)} | {F(l.ForwardBackwardMs, 2)} | {F(l.InputGradientMs, 2)} | {l.PerStep} | {F(l.StepMs, 1)} | {P(l.StepMs / p.MeasuredStepMs)} | {F(l.Gflops, 1)} |");
            }
            md.AppendLine(CultureInfo.InvariantCulture, $"| | Adam (G, D), EMA | | | | | | | 1 each | {F(p.GeneratorAdamMs + p.DiscriminatorAdamMs + p.EmaMs, 1)} | {P((p.GeneratorAdamMs + p.DiscriminatorAdamMs + p.EmaMs) / p.MeasuredStepMs)} | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| | rest (losses, glue, interaction) | | | | | | | | {F(p.RestMs, 1)} | {P(p.RestMs / p.MeasuredStepMs)} | |");
            md.AppendLine(CultureInfo.InvariantCulture, $"| | **measured step** | | | | | | | | **{F(p.MeasuredStepMs, 1)}** | 100 % | |");
            md.AppendLine();
        }
        return md.ToString();
    }

    private static string F(double value, int decimals) => double.IsNaN(value) ? "–" : value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    private static string P(double fraction) => double.IsNaN(fraction) ? "–" : (100 * fraction).ToString("N1", CultureInfo.InvariantCulture) + " %";

    private static string M(long macs) => (macs / 1e6).ToString("N2", CultureInfo.InvariantCulture) + " M";

    private static string Mib(long? bytes) => bytes is long b ? (b / 1048576.0).ToString("N1", CultureInfo.InvariantCulture) + " MiB" : "n/a";
}
