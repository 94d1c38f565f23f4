using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AttributeGan.Models;

namespace AttributeGan.Runtime.Data;

/// <summary>One image of the table: where it is, the line that lists it, and its level per spec attribute (spec order).</summary>
public sealed record AttributeRow(int Line, string Path, string FullPath, IReadOnlyList<int> Levels);

/// <summary>
/// The attribute table of a data set on disk: a CSV file whose header is <c>path,&lt;attribute&gt;,…</c> (columns in
/// any order, names case-insensitive), one row per image. Paths are relative to the table's folder; a value is
/// a level name (case-insensitive) or a 0-based level index. Every problem is a <see cref="DataSetException"/>
/// naming the file, the 1-based line, the column and the fix.
/// </summary>
public sealed class AttributeTable
{
    public const string PathColumn = "path";
    public const string DefaultFileName = "attributes.csv";

    private AttributeTable(string file, AttributeLayout layout, IReadOnlyList<AttributeRow> rows)
    {
        File = file;
        Layout = layout;
        Rows = rows;
    }

    public string File { get; }

    public AttributeLayout Layout { get; }

    public IReadOnlyList<AttributeRow> Rows { get; }

    /// <summary>Reads and checks a table; with <paramref name="requireImages"/> every listed image file must exist.</summary>
    public static AttributeTable Read(string csvPath, AttributeLayout layout, bool requireImages = true)
    {
        string file = System.IO.Path.GetFullPath(csvPath);
        if (!System.IO.File.Exists(file))
            throw new DataSetException(file, null, null, "the attribute table does not exist.",
                $"point --data at a folder holding {DefaultFileName} (header '{ExampleHeader(layout)}'), or at the table itself.");
        var records = CsvText.Parse(System.IO.File.ReadAllText(file, Encoding.UTF8), file);
        if (records.Count == 0)
            throw new DataSetException(file, 1, null, "the table is empty.", $"start it with the header '{ExampleHeader(layout)}' and add one row per image.");

        var columns = MapHeader(file, records[0], layout);
        if (records.Count == 1)
            throw new DataSetException(file, 1, null, "the table has a header but no rows.", "add one row per image below the header.");

        string folder = System.IO.Path.GetDirectoryName(file)!;
        var rows = new List<AttributeRow>(records.Count - 1);
        var firstLine = new Dictionary<string, int>(StringComparer.Ordinal);
        int width = records[0].Fields.Count;
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != width)
                throw new DataSetException(file, record.Line, null, $"the row has {record.Fields.Count} fields but the header has {width}.",
                    "give every row one value per header column; quote a field that contains a comma (\"a,b\").");
            string path = record.Fields[columns.Path];
            if (path.Length == 0)
                throw new DataSetException(file, record.Line, PathColumn, "the image path is empty.", "write the image's path relative to the table's folder.");
            string full = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, path));
            if (firstLine.TryGetValue(full, out int first))
                throw new DataSetException(file, record.Line, PathColumn, $"the image '{path}' is listed twice (first on line {first}).",
                    "keep one row per image: remove or merge the duplicate.");
            firstLine[full] = record.Line;

            var levels = new int[layout.Count];
            for (int a = 0; a < layout.Count; a++) levels[a] = ParseLevel(file, record.Line, layout.Attributes[a], record.Fields[columns.Attributes[a]]);
            if (requireImages && !System.IO.File.Exists(full))
                throw new DataSetException(file, record.Line, PathColumn, $"the image '{path}' does not exist (looked for {full}).",
                    "correct the path (it is relative to the table's folder) or remove the row.");
            rows.Add(new AttributeRow(record.Line, path, full, levels));
        }
        return new AttributeTable(file, layout, rows);
    }

    /// <summary>Writes a table with level names, paths as given (relative to the table's folder).</summary>
    public static void Write(string csvPath, AttributeLayout layout, IEnumerable<(string Path, IReadOnlyList<int> Levels)> rows)
    {
        var text = new StringBuilder();
        text.Append(PathColumn);
        foreach (var attribute in layout.Attributes) text.Append(',').Append(CsvText.Quote(attribute.Name));
        text.Append('\n');
        foreach (var (path, levels) in rows)
        {
            text.Append(CsvText.Quote(path));
            for (int a = 0; a < layout.Count; a++) text.Append(',').Append(CsvText.Quote(layout.Attributes[a].Levels[levels[a]]));
            text.Append('\n');
        }
        System.IO.File.WriteAllText(csvPath, text.ToString(), new UTF8Encoding(false));
    }

    private static (int Path, int[] Attributes) MapHeader(string file, CsvRecord header, AttributeLayout layout)
    {
        var names = header.Fields;
        for (int i = 0; i < names.Count; i++)
        {
            if (names[i].Length == 0)
                throw new DataSetException(file, header.Line, null, $"header column {i + 1} has no name.", $"name every column; the header should read '{ExampleHeader(layout)}'.");
            for (int j = 0; j < i; j++)
                if (string.Equals(names[i], names[j], StringComparison.OrdinalIgnoreCase))
                    throw new DataSetException(file, header.Line, names[i], $"the header names column '{names[i]}' twice.", "keep one column per attribute.");
        }
        int path = IndexOf(names, PathColumn);
        if (path < 0)
            throw new DataSetException(file, header.Line, null, "the header has no 'path' column.", $"make the first line '{ExampleHeader(layout)}'.");
        var missing = layout.Attributes.Where(a => IndexOf(names, a.Name) < 0).Select(a => a.Name).ToList();
        var extra = names.Where((n, i) => i != path && !layout.Attributes.Any(a => string.Equals(a.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
        if (missing.Count > 0 || extra.Count > 0)
        {
            var problem = new List<string>();
            if (missing.Count > 0) problem.Add($"the header lacks the spec's attribute column(s) {Names(missing)}");
            if (extra.Count > 0) problem.Add($"it has column(s) {Names(extra)} that the spec does not define");
            throw new DataSetException(file, header.Line, (missing.Count > 0 ? missing : extra)[0], string.Join("; ", problem) + ".",
                $"use exactly the spec's attributes: '{ExampleHeader(layout)}' (any column order; rename or drop other columns).");
        }
        return (path, layout.Attributes.Select(a => IndexOf(names, a.Name)).ToArray());
    }

    private static int ParseLevel(string file, int line, AttributeDefinition attribute, string value)
    {
        string range = $"0..{attribute.Levels.Count - 1}";
        string fix = $"write one of {string.Join(", ", attribute.Levels)} (case-insensitive) or its 0-based index {range}.";
        for (int level = 0; level < attribute.Levels.Count; level++)
            if (string.Equals(attribute.Levels[level], value, StringComparison.OrdinalIgnoreCase)) return level;
        if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long index))
        {
            if (index >= 0 && index < attribute.Levels.Count) return (int)index;
            throw new DataSetException(file, line, attribute.Name, $"level index {index} is out of range: '{attribute.Name}' has {attribute.Levels.Count} levels ({range}).", fix);
        }
        string shown = value.Length == 0 ? "an empty value" : $"'{value}'";
        throw new DataSetException(file, line, attribute.Name, $"{shown} is not a level of '{attribute.Name}'; its levels are {string.Join(", ", attribute.Levels)}.", fix);
    }

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++)
            if (string.Equals(names[i], name, StringComparison.OrdinalIgnoreCase)) return i;
        return -1;
    }

    private static string Names(IEnumerable<string> names) => string.Join(", ", names.Select(n => $"'{n}'"));

    private static string ExampleHeader(AttributeLayout layout) => PathColumn + "," + string.Join(",", layout.Attributes.Select(a => a.Name));
}
