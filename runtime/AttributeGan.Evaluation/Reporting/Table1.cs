using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Evaluation.Metrics;

namespace AttributeGan.Evaluation.Reporting;

/// <summary>
/// One row of the paper's Table 1: the real images (no distance) or a trained run, its Fréchet distance to the real
/// images and its attribute error per attribute (the table's attribute order).
/// </summary>
/// <param name="Name">"Real images", or the run's spec name (with its directory when two runs share a spec).</param>
/// <param name="Distance">Fréchet distance to the real images; null for the real-images row.</param>
/// <param name="Errors">Attribute error per attribute, in <see cref="Table1.Attributes"/> order.</param>
/// <param name="Source">Where the row comes from: the held-out images, or the run directory and checkpoint step.</param>
/// <param name="Images">Images the errors were measured on (held-out real images, or generated samples).</param>
/// <remarks>An attribute error that was not measured (the real halves row) is NaN and shown as "—".</remarks>
public sealed record Table1Row(string Name, double? Distance, IReadOnlyList<double> Errors, string Source, int Images)
{
    /// <summary>
    /// Within-combination variety of the images against the real ones (<see cref="Metrics.FeatureDiversity"/>; 1 = as
    /// varied as the data, near 0 = the noise is ignored); null where not measured.
    /// </summary>
    public double? Diversity { get; init; }

    /// <summary>
    /// The same ratio over the images reduced to 16×16 pixels (<see cref="Metrics.LayoutDiversity"/>): near 0 when images
    /// of a combination share their layout, whatever their grain; null where not measured (and in tables written before it).
    /// </summary>
    public double? LayoutDiversity { get; init; }

    /// <summary>The spec a run row was trained from (several seeds of one model share it); null for the real-image rows.</summary>
    public string? Model { get; init; }

    /// <summary>A run row's run directory, as it was passed to the evaluation; null for the real-image rows.</summary>
    public string? Run { get; init; }

    /// <summary>The training step of the checkpoint a run row was evaluated at; null for the real-image rows.</summary>
    public long? Step { get; init; }

    /// <summary>
    /// The hash of the spec a run row was trained from (its run.json's): a recipe changed under the same model name has
    /// another. Null for the real-image rows and in tables written before it was recorded.
    /// </summary>
    public string? SpecHash { get; init; }

    /// <summary>
    /// What the classifier answered, per attribute in <see cref="Table1.Attributes"/> order: the (requested, predicted)
    /// level counts behind <see cref="Errors"/>. Null where no image was classified (the real halves) or the answers
    /// are not known (held-out images that could not be identified again).
    /// </summary>
    public IReadOnlyList<ConfusionMatrix>? Confusions { get; init; }

    /// <summary>Value equality over every field (a record's own compares list references); NaN equals NaN.</summary>
    public bool SameContent(Table1Row other) =>
        SameMeasurement(other) && Name == other.Name && Source == other.Source && Model == other.Model && Run == other.Run && Step == other.Step && SpecHash == other.SpecHash;

    /// <summary>The same numbers (distance, diversities, errors, image count, classifier answers), wherever the images were.</summary>
    public bool SameMeasurement(Table1Row other) =>
        Nullable.Equals(Distance, other.Distance) && Nullable.Equals(Diversity, other.Diversity) && Nullable.Equals(LayoutDiversity, other.LayoutDiversity) &&
        Images == other.Images &&
        Errors.Count == other.Errors.Count && Errors.Zip(other.Errors).All(p => p.First.Equals(p.Second)) &&
        SameConfusions(Confusions, other.Confusions);

    private static bool SameConfusions(IReadOnlyList<ConfusionMatrix>? a, IReadOnlyList<ConfusionMatrix>? b) =>
        a is null || b is null ? a is null && b is null : a.Count == b.Count && a.Zip(b).All(p => p.First.SameContent(p.Second));
}

/// <summary>How the table was made, printed under it so a reader can reproduce it.</summary>
/// <param name="Samples">Generated images per run.</param>
/// <param name="Generator">"EMA" or "raw".</param>
/// <param name="Classifier">The classifier file and its backbone, e.g. "classifier.bin (resnet18-imagenet)".</param>
/// <param name="RealImages">Real images whose features the distance compares against.</param>
/// <param name="FeatureNetwork">What computed the distance's features.</param>
public sealed record Table1Settings(int Samples, int Seed, string Generator, string Classifier, string Data, int RealImages, string FeatureNetwork);

/// <summary>
/// The paper's Table 1: rows (real images first, then one per run), a distance column named by the feature
/// extractor (<c>FD-ResNet18</c>, or <c>FID</c> only with the Inception-V3 FID weights) and one attribute-error
/// column per attribute. Lower is better everywhere.
/// </summary>
public sealed record Table1
{
    public Table1(string distanceName, IReadOnlyList<string> attributes, IReadOnlyList<Table1Row> rows, Table1Settings settings)
    {
        if (string.IsNullOrWhiteSpace(distanceName)) throw new ArgumentException("The distance column needs a name (IFeatureExtractor.MetricName).", nameof(distanceName));
        if (attributes.Count == 0) throw new ArgumentException("Table 1 needs at least one attribute column.", nameof(attributes));
        foreach (var row in rows)
        {
            if (row.Errors.Count != attributes.Count)
                throw new ArgumentException($"Row '{row.Name}' has {row.Errors.Count} attribute errors but the table has {attributes.Count} attributes ({string.Join(", ", attributes)}).", nameof(rows));
            if (row.Confusions is { } confusions && !confusions.Select(c => c.Attribute).SequenceEqual(attributes, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"Row '{row.Name}' has confusion matrices of {string.Join(", ", confusions.Select(c => c.Attribute))}, " +
                                            $"but the table's attributes are {string.Join(", ", attributes)}; give one per attribute, in the table's order.", nameof(rows));
        }
        DistanceName = distanceName;
        Attributes = attributes;
        Rows = rows;
        Settings = settings;
    }

    public string DistanceName { get; }

    public IReadOnlyList<string> Attributes { get; }

    public IReadOnlyList<Table1Row> Rows { get; }

    public Table1Settings Settings { get; }

    /// <summary>Mean ± sample sd per model over its runs, for every model with at least two runs (e.g. seeds); empty otherwise.</summary>
    public IReadOnlyList<Table1SummaryRow> Summary => Table1Summary.Of(this);

    /// <summary>Value equality over the numbers and names (the default compares list references), for determinism checks.</summary>
    public bool SameContent(Table1 other) =>
        DistanceName == other.DistanceName && Settings == other.Settings && Attributes.SequenceEqual(other.Attributes) &&
        Rows.Count == other.Rows.Count && Rows.Zip(other.Rows).All(p => p.First.SameContent(p.Second));
}
