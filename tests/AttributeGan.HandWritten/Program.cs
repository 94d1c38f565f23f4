using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using AttributeGan.Benchmarks;
using AttributeGan.HandWritten;
using AttributeGan.Models.Specs;
using static TorchSharp.torch;

// dotnet run --project tests/AttributeGan.HandWritten -c Release -- [--rounds N] [--repeats K] [--threads T] [--markdown FILE] [--layouts-only | --training-only]
// Runs the hand-written AttributeGan64 against the generated one in one process, alternating, and measures each
// optimisation and the convolution layouts the same way. Exit code 1 when hand-written ÷ generated training time falls below 0.99.
// As the attributegan executable does, before any tensor exists: passive OpenMP waiting.
AttributeGan.Runtime.OpenMpWaiting.PreferPassive();
var options = Arguments.Parse(args);
if (options.Threads is int threads) set_num_threads(threads);
var machine = MachineInfo.Capture();
int trainingThreads = get_num_threads();
Console.Error.WriteLine($"{machine.CpuModel}, {machine.LogicalCores} cores, {trainingThreads} threads, load {machine.LoadAverageBefore:F2}");

var rows = new List<Comparison>();
void Run(string name, string note, string nameA, Action a, string nameB, Action b)
{
    var result = Alternation.Compare(nameA, a, nameB, b, options.Rounds, options.Repeats);
    rows.Add(new Comparison(name, note, result));
    Console.Error.WriteLine($"{name}: {result.NameA} {result.A.MedianMs:F1} ms, {result.NameB} {result.B.MedianMs:F1} ms, " +
                            $"ratio {result.RatioMedian:F3} [{result.RatioP25:F3}–{result.RatioP75:F3}], CPU-time ratio {result.CpuRatioMedian:F3}");
}

if (options.LayoutsOnly)
{
    RunLayouts();
    Console.WriteLine(Render(machine.Finished(), trainingThreads, options, rows));
    return 0;
}

using var generated = new TrainingBench(AttributeGan64Spec.Instance, AttributeGan64Spec.Instance.Training.Batch);
using var hand = Comparisons.Twin(generated, HandWrittenOps.Current);
using var nearestBlur = Comparisons.Twin(generated, HandWrittenOps.Current with { BilinearUpsample = false });
using var nchw = Comparisons.Twin(generated, HandWrittenOps.Current with { ChannelsLast = false });
using var pointwiseConvolutions = Comparisons.Twin(generated, HandWrittenOps.Current with { BatchedPointwise = false });

using var control = new TrainingBench(AttributeGan64Spec.Instance, AttributeGan64Spec.Instance.Training.Batch);
Run("training step (D + G + EMA)", "hand-written ÷ generated: must be ≥ 0.99",
    "hand-written", hand.RunStep, "generated", generated.RunStep);
Run("training step, control", "generated ÷ a second generated bench: 1 up to the method's noise",
    "generated (2nd)", control.RunStep, "generated", generated.RunStep);
if (options.TrainingOnly)
{
    // Only the acceptance comparison and its control, e.g. with many rounds to resolve the 0.99 bound.
    var acceptance = Render(machine.Finished(), trainingThreads, options, rows);
    Console.WriteLine(acceptance);
    if (options.Markdown is { } acceptancePath) File.WriteAllText(acceptancePath, acceptance);
    return rows[0].Result.RatioMedian >= 0.99 ? 0 : 1;
}
Run("sampling (EMA generator forward, no grad)", "hand-written ÷ generated",
    "hand-written", () => Comparisons.Sample(hand), "generated", () => Comparisons.Sample(generated));
// One optimisation, training step and sampling: the hand-written networks with only that change switched off ÷ as shipped.
void RunOptimisation(string name, string before, TrainingBench without, string after)
{
    Run($"{name}, training step", "before ÷ after (hand-written networks, only this changed)", before, without.RunStep, after, hand.RunStep);
    Run($"{name}, sampling", "before ÷ after", before, () => Comparisons.Sample(without), after, () => Comparisons.Sample(hand));
}

RunOptimisation("UpBlock: bilinear ×2 for nearest ×2 + blur", "nearest+blur", nearestBlur, "bilinear");
RunOptimisation("channels-last blocks beyond the convolutions (MemoryLayout; convolutions read channels-last in both)", "NCHW between convolutions", nchw, "channels-last");
RunOptimisation("EfficientAttention: 1×1 convolutions as batched matrix products", "convolutions", pointwiseConvolutions, "batched products");
Run("GanStep: D frozen in the generator step, generator step alone", "before ÷ after (bit-identical results)",
    "D weight grads", Comparisons.GeneratorStep(generated, freezeDiscriminator: false), "D frozen", Comparisons.GeneratorStep(generated, freezeDiscriminator: true));
Run("oneDNN kernels off (train --numerics-fallback), training step", "off ÷ on: what the fallback costs",
    "oneDNN off", Comparisons.WithoutOneDnn(generated.RunStep), "oneDNN on", generated.RunStep);
Run("oneDNN kernels off, sampling", "off ÷ on",
    "oneDNN off", Comparisons.WithoutOneDnn(() => Comparisons.Sample(generated)), "oneDNN on", () => Comparisons.Sample(generated));
if (Environment.ProcessorCount > 1)
{
    Run($"threads: 1 vs {Environment.ProcessorCount}, training step", "1 thread ÷ all cores (results differ in rounding between counts)",
        "1 thread", Comparisons.WithThreads(1, generated.RunStep), $"{Environment.ProcessorCount} threads", Comparisons.WithThreads(Environment.ProcessorCount, generated.RunStep));
}

RunLayouts();
var markdown = Render(machine.Finished(), trainingThreads, options, rows);
Console.WriteLine(markdown);
if (options.Markdown is { } path) File.WriteAllText(path, markdown);
return rows[0].Result.RatioMedian >= 0.99 ? 0 : 1;

void RunLayouts()
{
    foreach (var shape in ConvolutionLayouts.AttributeGan64)
    {
        Run($"layout: {shape.Layer} ({shape.Batch}×{shape.InChannels}→{shape.OutChannels} at {shape.Resolution}², {shape.Kernel}×{shape.Kernel}/{shape.Stride}), forward + backward",
            "NCHW ÷ channels-last: above 1, channels-last is faster",
            "NCHW", ConvolutionLayouts.ForwardBackward(shape, channelsLast: false), "channels-last", ConvolutionLayouts.ForwardBackward(shape, channelsLast: true));
    }
}

static string Render(MachineInfo machine, int threads, Arguments options, List<Comparison> rows)
{
    var md = new StringBuilder();
    var c = CultureInfo.InvariantCulture;
    md.AppendLine("### Hand-written vs generated AttributeGan64, and each optimisation (one process, alternating)");
    md.AppendLine();
    md.Append(c, $"{options.Rounds} rounds; each round times A and B back to back ({options.Repeats} run(s) each, fastest kept), order flipped every round; ");
    md.Append("the ratio is time(A) ÷ time(B) per round, median [interquartile range]; the CPU-time ratio uses the process's CPU time instead ");
    md.Append(c, $"(robust to other load with one thread; with several it includes OpenMP spin-waiting). {machine.CpuModel}, {threads} threads, ");
    md.AppendLine(c, $"load average {machine.LoadAverageBefore:F2} → {machine.LoadAverageAfter:F2}{(machine.UnderLoad ? " (**under load**)" : "")}.");
    md.AppendLine();
    md.AppendLine("| comparison | A | B | A, ms | B, ms | A ÷ B, wall clock | A ÷ B, CPU time | reading |");
    md.AppendLine("| --- | --- | --- | ---: | ---: | ---: | ---: | --- |");
    foreach (var (name, note, r) in rows)
    {
        md.AppendLine(c, $"| {name} | {r.NameA} | {r.NameB} | {r.A.MedianMs:F1} | {r.B.MedianMs:F1} | **{r.RatioMedian:F3}** [{r.RatioP25:F3}–{r.RatioP75:F3}] | {r.CpuRatioMedian:F3} [{r.CpuRatioP25:F3}–{r.CpuRatioP75:F3}] | {note} |");
    }
    return md.ToString();
}

internal sealed record Arguments(int Rounds, int Repeats, int? Threads, string? Markdown, bool LayoutsOnly = false, bool TrainingOnly = false)
{
    public static Arguments Parse(string[] args)
    {
        var result = new Arguments(20, 1, null, null);
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            result = args[i] switch
            {
                "--rounds" => result with { Rounds = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--repeats" => result with { Repeats = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--threads" => result with { Threads = int.Parse(Next(), CultureInfo.InvariantCulture) },
                "--markdown" => result with { Markdown = Next() },
                "--layouts-only" => result with { LayoutsOnly = true },
                "--training-only" => result with { TrainingOnly = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}; options: --rounds N, --repeats K, --threads T, --markdown FILE, --layouts-only, --training-only."),
            };
        }
        return result;
    }
}
