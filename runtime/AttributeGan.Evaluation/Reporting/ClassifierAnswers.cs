using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AttributeGan.Evaluation.Metrics;

namespace AttributeGan.Evaluation.Reporting;

/// <summary>The classifier's answers for one group of Table 1's rows, added up: the held-out real images, or every run of one model.</summary>
/// <param name="Name">"Real images", or the model (spec) the runs were trained from.</param>
/// <param name="Runs">Rows added up (1 for the real images).</param>
/// <param name="Confusions">Per attribute, in the table's order, the rows' confusion matrices summed.</param>
public sealed record AnswerGroup(string Name, int Runs, IReadOnlyList<ConfusionMatrix> Confusions)
{
    /// <summary>"AttributeGan64 (3 runs)"; the name alone for a single row.</summary>
    public string Label => Runs > 1 ? $"{Name} ({Runs} runs)" : Name;
}

/// <summary>One predicted level for at least <see cref="ClassifierAnswers.CollapseShare"/> of a group's images of an attribute.</summary>
/// <param name="Share">Share of the group's images predicted at <paramref name="Level"/>.</param>
/// <param name="RequestedShare">
/// Share of them requested at that level. A collapse says little when this is as high (an attribute whose data is nearly
/// all one level); it shows a generator without control of the attribute, or images the classifier cannot read, when it is low.
/// </param>
public sealed record AnswerCollapse(string Group, string Attribute, string Level, double Share, double RequestedShare)
{
    /// <summary>"AttributeGan64 (3 runs): cell_crowding: 100 % 'moderate' whatever was requested ('moderate' requested for 14 %)".</summary>
    public override string ToString() =>
        $"{Group}: {Attribute}: {ClassifierAnswers.Percent(Share)} '{Level}' whatever was requested ('{Level}' requested for {ClassifierAnswers.Percent(RequestedShare)})";
}

/// <summary>
/// What the classifier answered, grouped as a reader compares it: the real images' held-out answers (the classifier's
/// own floor) and each model's runs added up, as the mean ± sd summary groups runs by model. A group whose answers for an
/// attribute are nearly all one level is a <see cref="AnswerCollapse"/>: its attribute error is then the error of that
/// constant answer, whatever the generator drew.
/// </summary>
public static class ClassifierAnswers
{
    /// <summary>The share of one predicted level from which the answers count as collapsed.</summary>
    public const double CollapseShare = 0.9;

    /// <summary>The real-images row (when its answers are known) first, then one group per model in first-appearance order.</summary>
    public static IReadOnlyList<AnswerGroup> Groups(Table1 table)
    {
        var groups = new List<AnswerGroup>();
        if (table.Rows.FirstOrDefault(r => r.Name == Table1Evaluator.RealImagesRow) is { Confusions: { } real })
            groups.Add(new AnswerGroup(Table1Evaluator.RealImagesRow, 1, real));
        foreach (var model in table.Rows.Where(r => r is { Model: not null, Confusions: not null }).GroupBy(r => r.Model!))
        {
            var runs = model.ToArray();
            groups.Add(new AnswerGroup(model.Key, runs.Length,
                Enumerable.Range(0, table.Attributes.Count).Select(a => ConfusionMatrix.Sum(runs.Select(r => r.Confusions![a]).ToArray())).ToArray()));
        }
        return groups;
    }

    /// <summary>Every (group, attribute) whose most predicted level takes at least <see cref="CollapseShare"/> of the images, in group then attribute order.</summary>
    public static IReadOnlyList<AnswerCollapse> Collapses(Table1 table) =>
        Groups(table).SelectMany(group => group.Confusions.Where(m => m.Total > 0).Select(m =>
        {
            var (level, share) = m.MostPredicted();
            return share >= CollapseShare ? new AnswerCollapse(group.Label, m.Attribute, m.Levels[level], share, (double)m.Requested(level) / m.Total) : null;
        })).OfType<AnswerCollapse>().ToArray();

    /// <summary>A share as a whole percentage ("14 %"); "&lt;1 %" and "&gt;99 %" where rounding would hide that some images are (not) there.</summary>
    public static string Percent(double share)
    {
        double percent = 100 * share;
        if (percent > 0 && percent < 0.5) return "<1 %";
        if (percent < 100 && percent >= 99.5) return ">99 %";
        return percent.ToString("0", CultureInfo.InvariantCulture) + " %";
    }
}
