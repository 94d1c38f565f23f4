using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Data;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// Which compiled model a data folder belongs to, when the user does not say: a classifier needs the attributes
/// (names and ordered levels, which a table of level names alone cannot give) and the resolution to load images at
/// (the one the models generate, so real and generated images reach it the same way). Both come from the compiled
/// specs: those whose attributes read the table without error and whose resolution is the images' side.
/// </summary>
public static class DataModel
{
    /// <param name="data">A data folder with attributes.csv, or the table itself.</param>
    /// <param name="candidates">The compiled specs, e.g. a <see cref="SpecCatalog"/>.</param>
    public static IGanSpec Find(string data, IEnumerable<IGanSpec> candidates)
    {
        var specs = candidates.ToArray();
        string table = File.Exists(data) ? data : Path.Combine(data, AttributeTable.DefaultFileName);
        if (!File.Exists(table))
            throw new EvaluationException($"{Path.GetFullPath(table)} does not exist; point --data at a folder holding {AttributeTable.DefaultFileName} (as 'attributegan synth' writes).");

        // Specs with one layout read the table the same way: try each distinct layout once.
        AttributeTable? read = null;
        var fitting = new List<IGanSpec>();
        foreach (var group in specs.GroupBy(s => ClassifierMetadata.Describe(s.Attributes)))
        {
            try
            {
                read = AttributeTable.Read(table, group.First().Attributes, requireImages: false);
                fitting.AddRange(group);
            }
            catch (DataSetException)
            {
                // not this layout
            }
        }
        if (fitting.Count == 0 || read is null)
            throw new EvaluationException($"No compiled model has the attributes of {Path.GetFullPath(table)} (header and level names); " +
                                          "pass --model with a model whose spec lists them (see 'attributegan models').");
        if (fitting.Select(s => ClassifierMetadata.Describe(s.Attributes)).Distinct().Count() > 1)
            throw new EvaluationException($"Models with different attribute levels all read {Path.GetFullPath(table)} ({string.Join(", ", fitting.Select(s => s.Name))}); pass --model to choose one.");

        var first = read.Rows[0];
        var header = ImageDecoding.Identify(first.FullPath);
        int side = Math.Min(header.Width, header.Height);             // images are centre-cropped to a square
        var match = fitting.Where(s => s.Resolution == side).OrderBy(s => s.Name, StringComparer.Ordinal).FirstOrDefault();
        return match ?? throw new EvaluationException(
            $"The images of {Path.GetFullPath(table)} are {side}×{side} (e.g. {first.Path}), but the models with its attributes generate " +
            $"{string.Join(", ", fitting.Select(s => $"{s.Name} {s.Resolution}×{s.Resolution}"))}; pass --model to load the images at that model's resolution.");
    }
}
