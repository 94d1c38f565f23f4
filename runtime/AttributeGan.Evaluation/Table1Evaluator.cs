using System;
using System.Globalization;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using AttributeGan.Evaluation.Classifier;
using AttributeGan.Evaluation.Metrics;
using AttributeGan.Evaluation.Reporting;
using AttributeGan.Models;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.Sampling;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation;

/// <summary>
/// What to evaluate with: generated images per run, the seed of their noise and attribute requests, which generator,
/// and which checkpoint (<paramref name="Step"/>: every run's checkpoint of that step, for a learning curve; null: each
/// run's newest).
/// </summary>
public sealed record EvaluationOptions(int Samples, int Seed = 0, bool Ema = true, int Batch = 32, long? Step = null);

/// <summary>Where evaluation is: a stage ("real images", or a run's name) and how many of its images are done.</summary>
public sealed record EvaluationProgress(string Stage, long Done, long Total);

/// <summary>
/// Builds the paper's Table 1 for trained runs: for each run, <see cref="EvaluationOptions.Samples"/> images with
/// attribute combinations drawn from the real data's frequencies (the same requests and noise for every run), their
/// Fréchet distance to all real images in the feature extractor's space, and each attribute's error as judged by the
/// classifier, with what the classifier answered (a confusion matrix per attribute). The real-images row is the
/// classifier's held-out error. Deterministic for a seed on one device.
/// </summary>
public static class Table1Evaluator
{
    public const string RealImagesRow = "Real images";

    /// <summary>The floor of the distance and diversity columns: one half of the real images against the other.</summary>
    public const string RealHalvesRow = "Real vs real (halves)";

    /// <summary>The baseline of the attribute columns: per attribute, one fixed answer for every request (the best such level).</summary>
    public const string BestConstantRow = "Best constant answer";

    /// <param name="runs">Run directories of 'attributegan train'.</param>
    /// <param name="catalog">The compiled specs the runs were trained from.</param>
    /// <param name="data">The real data folder (attributes.csv and images), loaded at the runs' resolution.</param>
    /// <param name="classifierFile">Where <paramref name="classifier"/> was loaded from (for the report).</param>
    /// <param name="notice">Receives warnings that do not stop the evaluation (e.g. the classifier was trained on other data).</param>
    public static Table1 Evaluate(IReadOnlyList<string> runs, SpecCatalog catalog, string data, AttributeClassifier classifier, string classifierFile, IFeatureExtractor features,
        EvaluationOptions options, Device device, Action<EvaluationProgress>? progress = null, Action<string>? notice = null, CancellationToken cancellation = default)
    {
        if (options.Batch < 1) throw new ArgumentOutOfRangeException(nameof(options), options.Batch, "The batch must hold at least one image.");
        var specs = Check(runs, catalog, data, classifier.Metadata, options.Samples, options.Step);
        var firstSpec = catalog.Find(specs[0].Manifest.SpecName)!;
        var real = DataSet.Load(data, firstSpec, new DataSetOptions(Percentile: specs[0].Manifest.Options.CombinationPercentile));
        if (real.Count < 2) throw new EvaluationException($"{real.Origin} has {real.Count} usable image(s); the Fréchet distance needs at least 2.");
        if (!string.Equals(Path.GetFullPath(classifier.Metadata.Data), real.Origin, StringComparison.Ordinal))
            notice?.Invoke($"The classifier was trained on {classifier.Metadata.Data}, not on {real.Origin}: its held-out error (the real-images row) is for that data.");

        var (realFeatures, realLayouts) = RealFeatures(real, features, options.Batch, progress, cancellation);    // (N, D), (N, 3·16·16)
        using var disposeRealFeatures = realFeatures;                                                    // both live until the table is built
        using var disposeRealLayouts = realLayouts;
        var realLabels = real.Samples.Select(s => s.Label).ToArray();
        using var realStatistics = FeatureStatistics.Of(realFeatures);
        var requests = CombinationSampler.Draw(real.Combinations.Kept, options.Samples, options.Seed);
        var names = RowNames(specs.Select(s => (s.Run, s.Manifest.SpecName)).ToArray());

        var rows = new List<Table1Row>
        {
            RealImages(real, classifier, progress, notice),
            RealHalves(realFeatures, realLayouts, realLabels, classifier.Layout.Count, options.Seed, real.Origin),
            BestConstant(requests, classifier.Layout),
        };
        var context = new RunContext(requests, requests.Select(r => real.Combinations.LabelOf(r)).ToArray(), realStatistics, realFeatures, realLayouts, realLabels);
        for (int r = 0; r < specs.Count; r++)
            rows.Add(EvaluateRun(specs[r].Run, catalog, names[r], context, classifier, features, options, device, progress, cancellation));

        var settings = new Table1Settings(options.Samples, options.Seed, options.Ema ? "EMA" : "raw",
            $"{classifierFile} ({classifier.Metadata.Backbone}, trained on {classifier.Resolution}×{classifier.Resolution}{Degraded(classifier.Metadata.Training.Degradation)}" +
            $"{(classifier.Metadata.Training.WeightType == ScalarType.Float64 ? ", float64 weights" : "")})",
            real.Origin, real.Count, $"{features.MetricName}: {features.Dimensions}-d features");
        return new Table1(features.MetricName, classifier.Layout.Attributes.Select(a => a.Name).ToArray(), rows, settings);
    }

    /// <summary>How the classifier's training images were degraded, for the report's classifier line; nothing when they were not.</summary>
    private static string Degraded(Classifier.ImageDegradation? degradation) => degradation is null ? "" : string.Create(CultureInfo.InvariantCulture,
        $", training images degraded with probability {degradation.Probability:0.##}: blur σ ≤ {degradation.MaxBlurSigma:0.##} px, noise σ ≤ {degradation.MaxNoiseSigma:0.###}");

    /// <summary>
    /// The checks that need no network and no image: the sample count, every run (a run directory of a compiled spec
    /// whose attributes and resolution are the classifier's) and the data's attribute table (it exists, its columns and
    /// levels are the runs' and its images exist), and with <paramref name="step"/> that every run keeps that step's
    /// checkpoint. A command calls this before loading networks, so a mistake is reported in a second, not after
    /// minutes of loading.
    /// </summary>
    public static IReadOnlyList<(string Run, RunManifest Manifest)> Check(IReadOnlyList<string> runs, SpecCatalog catalog, string data, ClassifierMetadata classifier, int samples,
        long? step = null)
    {
        if (runs.Count == 0) throw new EvaluationException("No run to evaluate: pass at least one --run RUN.");
        if (samples < 2) throw new EvaluationException($"{nameof(EvaluationOptions)}.{nameof(EvaluationOptions.Samples)} must be at least 2 (a Fréchet distance needs a covariance), got {samples}.");
        var manifests = runs.Select(run => (Run: run, Manifest: ReadManifest(run))).ToArray();
        IGanSpec? first = null;
        foreach (var (run, manifest) in manifests)
        {
            var spec = catalog.Find(manifest.SpecName)
                       ?? throw new CheckpointException($"{run} was trained with the model '{manifest.SpecName}', which this build does not compile (known: {catalog.Names}); restore its spec file.");
            classifier.RequireCompatible(spec.Attributes, spec.Resolution, $"the run {run} ({spec.Name})");
            if (step is not null) TrainedRun.CheckpointOf(new RunDirectory(run), step.Value);
            first ??= spec;
        }
        string table = File.Exists(data) ? data : Path.Combine(data, AttributeTable.DefaultFileName);
        AttributeTable.Read(table, first!.Attributes, requireImages: true);
        return manifests;
    }

    /// <summary>
    /// The classifier's floor: its held-out error as its file records it, with what it answered on those images when
    /// they can be found again in <paramref name="real"/> (the same data, loaded the same way).
    /// </summary>
    private static Table1Row RealImages(DataSet real, AttributeClassifier classifier, Action<EvaluationProgress>? progress, Action<string>? notice)
    {
        const string stage = "held-out real images";
        var heldOut = classifier.Metadata.HeldOut;
        progress?.Invoke(new EvaluationProgress(stage, 0, heldOut.Images));
        var answers = classifier.HeldOutAnswers(real);
        progress?.Invoke(new EvaluationProgress(stage, heldOut.Images, heldOut.Images));
        if (answers is null)
            notice?.Invoke($"The classifier's {heldOut.Images} held-out images are not among the images of {real.Origin} as loaded here " +
                           "(classified again, they do not give its recorded scores): the report shows their error, not what it answered.");
        return new Table1Row(RealImagesRow, null, heldOut.Attributes.Select(a => a.Error).ToArray(),
            $"held-out real images of {classifier.Metadata.Data}", heldOut.Images) { Confusions = answers?.Confusions() };
    }

    /// <summary>What every run is judged against: the same requests (levels and their combination labels) and the real images' features.</summary>
    private sealed record RunContext(IReadOnlyList<IReadOnlyList<int>> Requests, IReadOnlyList<int> RequestLabels, FeatureStatistics RealStatistics,
        Tensor RealFeatures, Tensor RealLayouts, IReadOnlyList<int> RealLabels);

    /// <summary>
    /// The error a run's attribute columns must beat to show control: per attribute, answering the one level that fits
    /// the requests best (<see cref="AttributeError.BestConstant"/>) for every image. No distance or diversity.
    /// </summary>
    private static Table1Row BestConstant(IReadOnlyList<IReadOnlyList<int>> requests, AttributeLayout layout)
    {
        var answers = layout.Attributes.Select((attribute, a) =>
            (attribute, best: AttributeError.BestConstant(requests.Select(r => r[a]).ToArray(), attribute.Levels.Count))).ToArray();
        var constant = new AttributeErrorAccumulator(layout);
        var levels = answers.Select(x => x.best.Level).ToArray();
        foreach (var request in requests) constant.Add(levels, request);
        return new Table1Row(BestConstantRow, null, answers.Select(x => x.best.Error).ToArray(),
            "one level per attribute for every request: " + string.Join(", ", answers.Select(x => $"{x.attribute.Name} {x.attribute.Levels[x.best.Level]}")),
            requests.Count) { Confusions = constant.Confusions() };
    }

    /// <summary>
    /// The real images split in two halves (within each combination, a seeded shuffle dealt alternately): their Fréchet
    /// distance and diversity ratios are what a generator that draws from the real distribution would score with this many
    /// images. No attribute errors: the real-images row above holds the classifier's floor.
    /// </summary>
    private static Table1Row RealHalves(Tensor features, Tensor layouts, IReadOnlyList<int> labels, int attributes, int seed, string origin)
    {
        var random = new Random(seed);
        var first = new List<long>();
        var second = new List<long>();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            int k = 0;
            foreach (var i in group.OrderBy(_ => random.Next())) (k++ % 2 == 0 ? first : second).Add(i);
        }
        using var scope = NewDisposeScope();
        var (indicesA, indicesB) = (tensor(first.ToArray()), tensor(second.ToArray()));
        var (labelsA, labelsB) = (first.Select(i => labels[(int)i]).ToArray(), second.Select(i => labels[(int)i]).ToArray());
        var a = features.index_select(0, indicesA);                                                            // (N/2, D)
        var b = features.index_select(0, indicesB);
        using var statisticsA = FeatureStatistics.Of(a);
        using var statisticsB = FeatureStatistics.Of(b);
        var diversity = FeatureDiversity.Ratio(a, labelsA, b, labelsB);
        var layoutDiversity = FeatureDiversity.Ratio(layouts.index_select(0, indicesA), labelsA, layouts.index_select(0, indicesB), labelsB);
        return new Table1Row(RealHalvesRow, FrechetDistance.Compute(statisticsA, statisticsB), Enumerable.Repeat(double.NaN, attributes).ToArray(),
            $"{first.Count:N0} vs {second.Count:N0} real images of {origin}", first.Count) { Diversity = diversity, LayoutDiversity = layoutDiversity };
    }

    private static Table1Row EvaluateRun(string path, SpecCatalog catalog, string name, RunContext context, AttributeClassifier classifier, IFeatureExtractor features,
        EvaluationOptions options, Device device, Action<EvaluationProgress>? progress, CancellationToken cancellation)
    {
        var requests = context.Requests;
        using var trained = TrainedRun.Load(path, catalog, device, options.Step);
        var spec = trained.Spec;
        var generator = trained.Generator(options.Ema);
        generator.eval();                                           // batch norm on running statistics: an image does not depend on its batch
        using var statistics = new FeatureStatistics(features.Dimensions);
        var generated = new List<Tensor>();                                                                    // (b, D) each
        var generatedLayouts = new List<Tensor>();                                                              // (b, 3·16·16) each
        var scores = new AttributeErrorAccumulator(spec.Attributes);
        using var noise = GeneratorBatches.Noise(spec.LatentSize, requests.Count, options.Seed);    // (N, latent), the same for every run
        progress?.Invoke(new EvaluationProgress(name, 0, requests.Count));
        for (int start = 0; start < requests.Count; start += options.Batch)
        {
            cancellation.ThrowIfCancellationRequested();
            int length = Math.Min(options.Batch, requests.Count - start);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var wanted = requests.Skip(start).Take(length).ToArray();
            var z = noise.narrow(0, start, length).to(device);                                                  // (b, latent)
            var a = AttributeVector.Stack(wanted.Select(l => spec.Attributes.Encode(l)).ToArray(), device);     // (b, A)
            var images = EvaluationImages.FromGenerator(generator.call(z, a));                                  // (b, 3, R, R) in [0, 1]
            var extracted = features.Features(images);                                                         // (b, D)
            statistics.Add(extracted);
            generated.Add(extracted.cpu().DetachFromDisposeScope());
            generatedLayouts.Add(LayoutDiversity.Features(images).DetachFromDisposeScope());
            var predicted = classifier.Predict(images);
            for (int i = 0; i < length; i++) scores.Add(predicted[i], wanted[i]);
            progress?.Invoke(new EvaluationProgress(name, start + length, requests.Count));
        }

        string checkpoint = Path.GetFileName(trained.Checkpoint);
        using var all = cat(generated.ToArray(), 0);                                                           // (N, D)
        using var allLayouts = cat(generatedLayouts.ToArray(), 0);                                               // (N, 3·16·16)
        foreach (var part in generated.Concat(generatedLayouts)) part.Dispose();
        var diversity = FeatureDiversity.Ratio(all, context.RequestLabels, context.RealFeatures, context.RealLabels);
        var layoutDiversity = FeatureDiversity.Ratio(allLayouts, context.RequestLabels, context.RealLayouts, context.RealLabels);
        return new Table1Row(name, FrechetDistance.Compute(context.RealStatistics, statistics), scores.Errors(),
            $"{path} (step {trained.State.Step}, {checkpoint})", requests.Count) { Diversity = diversity, LayoutDiversity = layoutDiversity, Model = spec.Name, Run = path, Step = trained.State.Step, SpecHash = trained.Manifest.SpecHash, Confusions = scores.Confusions() };
    }

    /// <summary>Every real image's features (N, D) and pixels reduced for the layout diversity (N, 3·16·16), on the CPU, in the data set's order.</summary>
    private static (Tensor Features, Tensor Layouts) RealFeatures(DataSet real, IFeatureExtractor features, int batch, Action<EvaluationProgress>? progress, CancellationToken cancellation)
    {
        const string stage = "real images";
        var parts = new List<Tensor>();
        var layouts = new List<Tensor>();
        try
        {
            progress?.Invoke(new EvaluationProgress(stage, 0, real.Count));
            for (int start = 0; start < real.Count; start += batch)
            {
                cancellation.ThrowIfCancellationRequested();
                using var scope = NewDisposeScope();
                var indices = Enumerable.Range(start, Math.Min(batch, real.Count - start)).ToArray();
                var images = EvaluationImages.FromDataSet(real, indices);                                       // (b, 3, R, R)
                parts.Add(features.Features(images).cpu().DetachFromDisposeScope());                             // (b, D)
                layouts.Add(LayoutDiversity.Features(images).DetachFromDisposeScope());                            // (b, 3·16·16)
                progress?.Invoke(new EvaluationProgress(stage, start + indices.Length, real.Count));
            }
            return (cat(parts.ToArray(), 0), cat(layouts.ToArray(), 0));
        }
        finally
        {
            foreach (var part in parts.Concat(layouts)) part.Dispose();
        }
    }

    /// <summary>
    /// Each run's spec name; when two runs share a spec, the run directory's name is added to tell them apart, with as
    /// many parent folders as it takes when the names alone collide (runs/a/s0 and runs/b/s0 → "a/s0" and "b/s0", e.g.
    /// the same seed trained on two machines and combined).
    /// </summary>
    internal static string[] RowNames(IReadOnlyList<(string Run, string Spec)> runs)
    {
        var segments = runs.Select(r => Segments(r.Run)).ToArray();
        string Tail(int run, int depth) => string.Join('/', segments[run].TakeLast(depth));
        return runs.Select((r, i) =>
        {
            var sharing = Enumerable.Range(0, runs.Count).Where(o => o != i && runs[o].Spec == r.Spec).ToArray();
            if (sharing.Length == 0) return r.Spec;
            int depth = 1;
            while (depth < segments[i].Length && sharing.Any(o => Tail(o, depth) == Tail(i, depth))) depth++;
            return $"{r.Spec} ({Tail(i, depth)})";
        }).ToArray();
    }

    /// <summary>
    /// The folders of a run path as it was recorded: a combined table's paths were recorded on other machines, so they
    /// are not resolved against this one's working directory, except to name "." or "..".
    /// </summary>
    private static string[] Segments(string run)
    {
        char[] separators = ['/', '\\'];
        var parts = run.Split(separators, StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0 || parts[^1] is "." or ".." ? Path.GetFullPath(run).Split(separators, StringSplitOptions.RemoveEmptyEntries) : parts;
    }

    private static RunManifest ReadManifest(string run)
    {
        var directory = new RunDirectory(run);
        if (!directory.HasManifest)
            throw new EvaluationException($"{directory.Root} is not a run directory (no run.json); pass the --out folder of 'attributegan train' to --run.");
        return RunManifest.Read(directory.Manifest);
    }
}
