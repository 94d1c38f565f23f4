using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AttributeGan.Benchmarks;
using AttributeGan.HandWritten;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using static TorchSharp.torch;

// dotnet run --project tests/AttributeGan.HandWritten -c Release -- [--rounds N] [--repeats K] [--threads T] [--markdown FILE]
// Runs the hand-written AttributeGan64 against the generated one in one process, alternating, and measures each
// optimisation the same way (the hand-written model with the original operations vs with the current ones).
var options = Arguments.Parse(args);
if (options.Threads is int threads) set_num_threads(threads);
var machine = MachineInfo.Capture();
Console.Error.WriteLine($"{machine.CpuModel}, {machine.LogicalCores} cores, {get_num_threads()} threads, load {machine.LoadAverageBefore:F2}");

var rows = new List<(string Name, string Note, AlternatingResult Result)>();
void Report(string name, string note, AlternatingResult result)
{
    rows.Add((name, note, result));
    Console.Error.WriteLine($"{name}: {result.NameA} {result.A.MedianMs:F1} ms, {result.NameB} {result.B.MedianMs:F1} ms, " +
                            $"ratio {result.RatioMedian:F3} [{result.RatioP25:F3}–{result.RatioP75:F3}]");
}

int batch = AttributeGan64Spec.Instance.Training.Batch;
using var generated = new TrainingBench(AttributeGan64Spec.Instance, batch);
using var hand = Twin(generated, HandWrittenOps.Current);
using var original = Twin(generated, HandWrittenOps.Original);

Report("training step (D + G + EMA): hand-written ÷ generated", "must be ≥ 0.99",
    Alternation.Compare("hand-written", hand.RunStep, "generated", generated.RunStep, options.Rounds, options.Repeats));
Report("sampling (EMA generator forward, no grad): hand-written ÷ generated", "",
    Alternation.Compare("hand-written", () => Sample(hand), "generated", () => Sample(generated), options.Rounds, options.Repeats));
Report("optimisation: bilinear ×2 for nearest ×2 + blur (UpBlock), training step", "before ÷ after",
    Alternation.Compare("original ops", original.RunStep, "current ops", hand.RunStep, options.Rounds, options.Repeats));
Report("optimisation: bilinear ×2 for nearest ×2 + blur (UpBlock), sampling", "before ÷ after",
    Alternation.Compare("original ops", () => Sample(original), "current ops", () => Sample(hand), options.Rounds, options.Repeats));

var markdown = Render(machine.Finished(), options, rows);
Console.WriteLine(markdown);
if (options.Markdown is { } path) File.WriteAllText(path, markdown);
return rows[0].Result.RatioMedian >= 0.99 ? 0 : 1;

// A training bench on the hand-written networks, starting from the generated bench's exact weights.
static TrainingBench Twin(TrainingBench generated, HandWrittenOps ops)
{
    var twin = new TrainingBench(new HandWrittenSpec(ops), generated.BatchSize);
    WeightCopy.Copy(generated.State.Generator, twin.State.Generator);
    WeightCopy.Copy(generated.State.Discriminator, twin.State.Discriminator);
    twin.State.Ema.Reset();
    return twin;
}

static void Sample(TrainingBench bench)
{
    using var scope = NewDisposeScope();
    using var noGrad = no_grad();
    var ema = bench.State.Ema.Generator;
    ema.eval();
    ema.call(randn(new long[] { bench.BatchSize, bench.Spec.LatentSize }, generator: new TorchSharp.torch.Generator(3)), bench.Batch.Attributes);
}

static string Render(MachineInfo machine, Arguments options, List<(string Name, string Note, AlternatingResult Result)> rows)
{
    var md = new StringBuilder();
    var c = CultureInfo.InvariantCulture;
    md.AppendLine(c, $"### Hand-written vs generated AttributeGan64, and each optimisation (one process, alternating)");
    md.AppendLine();
    md.AppendLine(c, $"{options.Rounds} rounds; each round times A and B back to back ({options.Repeats} runs each, fastest kept), order flipped every round; " +
                     $"the ratio is time(A) ÷ time(B) per round, median [interquartile range]. {machine.CpuModel}, {get_num_threads()} threads, " +
                     $"load average {machine.LoadAverageBefore:F2} → {machine.LoadAverageAfter:F2}{(machine.UnderLoad ? " (**under load**)" : "")}.");
    md.AppendLine();
    md.AppendLine("| comparison | A | B | A, ms | B, ms | A ÷ B | note |");
    md.AppendLine("| --- | --- | --- | ---: | ---: | ---: | --- |");
    foreach (var (name, note, r) in rows)
    {
        md.AppendLine(c, $"| {name} | {r.NameA} | {r.NameB} | {r.A.MedianMs:F1} | {r.B.MedianMs:F1} | **{r.RatioMedian:F3}** [{r.RatioP25:F3}–{r.RatioP75:F3}] | {note} |");
    }
    return md.ToString();
}

internal sealed record Arguments(int Rounds, int Repeats, int? Threads, string? Markdown)
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
                _ => throw new ArgumentException($"Unknown option {args[i]}; options: --rounds N, --repeats K, --threads T, --markdown FILE."),
            };
        }
        return result;
    }
}
