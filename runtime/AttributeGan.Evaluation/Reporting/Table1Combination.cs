using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Evaluation.Reporting;

/// <summary>
/// One Table 1 from several evaluations of the same kind: runs evaluated as each finished, on other machines or in other
/// sessions, assembled without generating an image again. Tables combine only when they measured the same thing: the
/// same distance, attributes, samples per run, seed, generator, real-image count and feature network, and reference
/// rows (real images, real halves, best constant answer) with the same numbers (identical counts and errors; feature
/// statistics within <see cref="FeatureTolerance"/>, since CPUs differ in their last bits). Those numbers pin the data (the
/// halves' distance is over every real image's features), the classifier (its held-out errors and answers, so a
/// classifier trained again under the same name is caught) and the requests, wherever the files lay: paths may differ.
/// A model's runs must come from one spec (their recorded spec hashes agree), so a recipe changed under the same model
/// name is not averaged with the old one.
/// The result has the first table's reference rows and settings, then every run row in the order given, named as one
/// evaluation of all the runs would name them; its per-model summary (mean ± sd) covers every run.
/// </summary>
public static class Table1Combination
{
    /// <param name="tables">Each table with where it came from (its file), for the messages.</param>
    /// <exception cref="EvaluationException">The tables measured different things, or one run appears twice.</exception>
    public static Table1 Combine(IReadOnlyList<(string Origin, Table1 Table)> tables)
    {
        if (tables.Count == 0) throw new EvaluationException("No table to combine: pass at least one table1.json of 'attributegan evaluate'.");
        var (firstOrigin, first) = tables[0];
        var references = first.Rows.Where(r => r.Model is null).ToArray();
        var runs = new List<(string Origin, Table1Row Row)>();
        foreach (var (origin, table) in tables)
        {
            RequireSameMeasure(firstOrigin, first, origin, table);
            var theirs = table.Rows.Where(r => r.Model is null).ToArray();
            for (int i = 0; i < Math.Max(references.Length, theirs.Length); i++)
            {
                if (i < references.Length && i < theirs.Length && Agree(references[i], theirs[i])) continue;
                string name = i < references.Length ? references[i].Name : theirs[i].Name;
                if (i < references.Length && i < theirs.Length && (references[i].LayoutDiversity is null) != (theirs[i].LayoutDiversity is null))
                    throw new EvaluationException(
                        $"{(theirs[i].LayoutDiversity is null ? origin : firstOrigin)} has no layout diversity (it was written before the column existed): " +
                        "evaluate its runs again with this version, with the same --data, --classifier, --samples and --seed.");
                throw new EvaluationException(
                    $"The '{name}' row of {origin} differs from that of {firstOrigin}: the two were not evaluated against the same data, classifier " +
                    "(a classifier trained again gives other held-out answers) and seed. Evaluate the runs of one of them again with the other's " +
                    "--data, --classifier, --samples and --seed.");
            }
            foreach (var row in table.Rows.Where(r => r.Model is not null))
            {
                var earlier = runs.FirstOrDefault(r => r.Row.Source == row.Source);
                if (earlier.Row is not null)
                    throw new EvaluationException($"The run {row.Source} is in both {earlier.Origin} and {origin}; pass each evaluation of a run once.");
                var otherRecipe = runs.FirstOrDefault(r => r.Row.Model == row.Model && r.Row.SpecHash is not null && row.SpecHash is not null && r.Row.SpecHash != row.SpecHash);
                if (otherRecipe.Row is not null)
                    throw new EvaluationException(
                        $"{row.Model} of {origin} ({row.Run ?? row.Source}) was trained from spec hash {row.SpecHash}, that of {otherRecipe.Origin} " +
                        $"({otherRecipe.Row.Run ?? otherRecipe.Row.Source}) from {otherRecipe.Row.SpecHash}: the spec changed between them, so their mean " +
                        "would mix two recipes. Train the older runs again with the current spec, or combine each recipe's evaluations on their own.");
                runs.Add((origin, row));
            }
        }

        // Named as one evaluation of all the runs names them: the spec, with the run directory when two runs share a spec.
        var names = Table1Evaluator.RowNames(runs.Select(r => (r.Row.Run ?? r.Row.Name, r.Row.Model!)).ToArray());
        var rows = references.Concat(runs.Select((r, i) => r.Row with { Name = r.Row.Run is null ? r.Row.Name : names[i] })).ToArray();
        return new Table1(first.DistanceName, first.Attributes, rows, first.Settings);
    }

    /// <summary>What a table combined by <see cref="CombineWithoutAttributes"/> names as its classifier.</summary>
    public const string NoClassifier = "none: attribute errors left out (evaluate combine --without-attributes), so evaluations read by different classifiers combine";

    /// <summary>
    /// The part of <see cref="Combine"/> no classifier touches: the distance and both diversities of each run, held against
    /// the real halves. Evaluations read by different classifiers (one trained again on another CPU, or in another
    /// precision) differ in their real-images rows and are refused by <see cref="Combine"/>, yet measured these columns
    /// the same way. Every other check stands: the same data (the real halves), requests (samples, seed), generator,
    /// feature network and spec per model. The result has no real-images or best-constant row, and every attribute error
    /// is NaN ("—").
    /// </summary>
    public static Table1 CombineWithoutAttributes(IReadOnlyList<(string Origin, Table1 Table)> tables)
    {
        var combined = Combine(tables.Select(t => (t.Origin, WithoutAttributes(t.Table))).ToArray());
        return new Table1(combined.DistanceName, combined.Attributes, combined.Rows, combined.Settings with { Classifier = NoClassifier });
    }

    /// <summary>The rows with a distance (the real halves, the runs), without their attribute errors and classifier answers.</summary>
    private static Table1 WithoutAttributes(Table1 table)
    {
        var unmeasured = Enumerable.Repeat(double.NaN, table.Attributes.Count).ToArray();
        var rows = table.Rows.Where(r => r.Model is not null || r.Distance is not null).Select(r => r with { Errors = unmeasured, Confusions = null }).ToArray();
        return new Table1(table.DistanceName, table.Attributes, rows, table.Settings);
    }

    /// <summary>
    /// Relative difference allowed between two reference rows' distances and diversities: the real images' features come
    /// from ONNX Runtime, whose kernels differ between CPUs (AVX2, AVX-512) in the last bits. Other data or another seed
    /// moves the halves' distance by whole units (of ≈ 30), a thousand times more than this.
    /// </summary>
    public const double FeatureTolerance = 1e-4;

    /// <summary>Two reference rows measured the same: counts, recorded errors and answers exactly, feature statistics within <see cref="FeatureTolerance"/>.</summary>
    private static bool Agree(Table1Row a, Table1Row b) =>
        a.Name == b.Name && Close(a.Distance, b.Distance) && Close(a.Diversity, b.Diversity) && Close(a.LayoutDiversity, b.LayoutDiversity) &&
        (a with { Distance = b.Distance, Diversity = b.Diversity, LayoutDiversity = b.LayoutDiversity }).SameMeasurement(b);

    private static bool Close(double? a, double? b) =>
        a is null || b is null ? a is null && b is null : a.Value.Equals(b.Value) || Math.Abs(a.Value - b.Value) <= FeatureTolerance * Math.Max(Math.Abs(a.Value), Math.Abs(b.Value));

    private static void RequireSameMeasure(string firstOrigin, Table1 first, string origin, Table1 table)
    {
        void Same(string what, object? expected, object? actual)
        {
            if (!Equals(expected, actual))
                throw new EvaluationException($"{origin} has {what} {Shown(actual)} but {firstOrigin} has {Shown(expected)}: tables combine only when " +
                                              "they were evaluated the same way. Evaluate the runs of one of them again with the other's settings.");
        }

        Same("the distance", first.DistanceName, table.DistanceName);
        Same("the attributes", string.Join(", ", first.Attributes), string.Join(", ", table.Attributes));
        var (a, b) = (first.Settings, table.Settings);
        Same("samples per run", a.Samples, b.Samples);
        Same("the seed", a.Seed, b.Seed);
        Same("the generator", a.Generator, b.Generator);
        Same("real images", a.RealImages, b.RealImages);
        Same("the feature network", a.FeatureNetwork, b.FeatureNetwork);
    }

    private static string Shown(object? value) => value is string text ? $"'{text}'" : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "none";
}
