using System;
using System.Collections.Generic;
using System.Linq;

namespace AttributeGan.Evaluation.Reporting;

/// <summary>A mean over runs and its sample standard deviation (n − 1 in the denominator; NaN for one run).</summary>
public readonly record struct Spread(double Mean, double Sd, int Count)
{
    /// <summary>The spread of the finite values among <paramref name="values"/>; NaN mean when none is finite.</summary>
    public static Spread Of(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToArray();
        if (finite.Length == 0) return new Spread(double.NaN, double.NaN, 0);
        double mean = finite.Average();
        double sd = finite.Length > 1 ? Math.Sqrt(finite.Sum(v => (v - mean) * (v - mean)) / (finite.Length - 1)) : double.NaN;
        return new Spread(mean, sd, finite.Length);
    }
}

/// <summary>One model over its runs: how many, and the spread of every column of Table 1.</summary>
public sealed record Table1SummaryRow(string Model, int Runs, Spread Distance, Spread Diversity, Spread LayoutDiversity, IReadOnlyList<Spread> Errors);

/// <summary>
/// Table 1 over seeds: the run rows grouped by the spec they were trained from, in first-appearance order, each column
/// as mean ± sample sd. A model with one run is left out (its row above is all there is). A run whose distance is not
/// finite (a diverged run) is excluded from that column's spread and counted in <see cref="Spread.Count"/>'s shortfall.
/// </summary>
public static class Table1Summary
{
    public static IReadOnlyList<Table1SummaryRow> Of(Table1 table) =>
        table.Rows.Where(r => r.Model is not null)
            .GroupBy(r => r.Model!)
            .Where(g => g.Count() > 1)
            .Select(g => new Table1SummaryRow(g.Key, g.Count(),
                Spread.Of(g.Select(r => r.Distance ?? double.NaN)),
                Spread.Of(g.Select(r => r.Diversity ?? double.NaN)),
                Spread.Of(g.Select(r => r.LayoutDiversity ?? double.NaN)),
                Enumerable.Range(0, table.Attributes.Count).Select(a => Spread.Of(g.Select(r => r.Errors[a]))).ToArray()))
            .ToArray();
}
