using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using AttributeGan.Evaluation.Metrics;

namespace AttributeGan.Evaluation.Reporting;

/// <summary>
/// table1.json: every number at full precision (a double's shortest round-trip text), each row's confusion matrices
/// and the settings, so a table read back is the table written (<see cref="Table1.SameContent"/>). The per-model
/// summary is written for scripts and recomputed on reading. A value not measured is null; a diverged run's
/// distance is the text "NaN".
/// </summary>
public static class Table1Json
{
    private static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,   // a diverged run's NaN distance stays readable
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,                 // "—" and "×" as themselves, not \uXXXX
    };

    public static string Write(Table1 table)
    {
        var rows = new JsonArray();
        foreach (var row in table.Rows)
        {
            var errors = new JsonObject();
            for (int a = 0; a < table.Attributes.Count; a++) errors[table.Attributes[a]] = double.IsNaN(row.Errors[a]) ? null : row.Errors[a];
            rows.Add(new JsonObject
            {
                ["name"] = row.Name,
                ["model"] = row.Model,
                ["run"] = row.Run,
                ["step"] = row.Step,
                ["specHash"] = row.SpecHash,
                ["distance"] = row.Distance,
                ["diversity"] = row.Diversity,
                ["layoutDiversity"] = row.LayoutDiversity,
                ["attributeErrors"] = errors,
                ["images"] = row.Images,
                ["source"] = row.Source,
                ["confusion"] = Write(row.Confusions),
            });
        }
        var summary = new JsonArray();
        foreach (var row in table.Summary)
        {
            var errors = new JsonObject();
            for (int a = 0; a < table.Attributes.Count; a++) errors[table.Attributes[a]] = Write(row.Errors[a]);
            summary.Add(new JsonObject
            {
                ["model"] = row.Model,
                ["runs"] = row.Runs,
                ["distance"] = Write(row.Distance),
                ["diversity"] = Write(row.Diversity),
                ["layoutDiversity"] = Write(row.LayoutDiversity),
                ["attributeErrors"] = errors,
            });
        }
        var s = table.Settings;
        var root = new JsonObject
        {
            ["distance"] = table.DistanceName,
            ["attributes"] = new JsonArray(table.Attributes.Select(a => (JsonNode?)JsonValue.Create(a)).ToArray()),
            ["rows"] = rows,
            ["summary"] = summary,
            ["settings"] = new JsonObject
            {
                ["samples"] = s.Samples,
                ["seed"] = s.Seed,
                ["generator"] = s.Generator,
                ["classifier"] = s.Classifier,
                ["data"] = s.Data,
                ["realImages"] = s.RealImages,
                ["featureNetwork"] = s.FeatureNetwork,
            },
        };
        return root.ToJsonString(Options) + "\n";
    }

    /// <summary>Reads a table1.json of <c>attributegan evaluate</c>; <paramref name="origin"/> (its path) names it in errors.</summary>
    /// <exception cref="EvaluationException">The text is not JSON, or a field is missing or of the wrong kind (the message names it).</exception>
    public static Table1 Read(string json, string origin)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException e)
        {
            throw new EvaluationException($"{origin} is not JSON ({e.Message}); pass the table1.json that 'attributegan evaluate' wrote.");
        }
        var reader = new Reader(origin);
        var table = reader.Object(root, "the file");
        var attributes = reader.Array(table["attributes"], "attributes").Select((a, i) => reader.Text(a, $"attributes[{i}]")).ToArray();
        var settings = reader.Object(table["settings"], "settings");
        var rows = reader.Array(table["rows"], "rows").Select((row, i) => ReadRow(reader, row, $"rows[{i}]", attributes)).ToArray();
        var read = new Table1Settings(
            reader.Integer(settings["samples"], "settings.samples"), reader.Integer(settings["seed"], "settings.seed"),
            reader.Text(settings["generator"], "settings.generator"), reader.Text(settings["classifier"], "settings.classifier"),
            reader.Text(settings["data"], "settings.data"), reader.Integer(settings["realImages"], "settings.realImages"),
            reader.Text(settings["featureNetwork"], "settings.featureNetwork"));
        try
        {
            return new Table1(reader.Text(table["distance"], "distance"), attributes, rows, read);
        }
        catch (ArgumentException e)
        {
            throw new EvaluationException($"{origin}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}");
        }
    }

    /// <summary>Reads the table1.json at <paramref name="path"/> (or in the folder <paramref name="path"/>).</summary>
    public static Table1 ReadFile(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "table1.json") : path;
        if (!File.Exists(file))
            throw new EvaluationException($"{file} does not exist; pass a table1.json (or the --out folder) of 'attributegan evaluate'.");
        return Read(File.ReadAllText(file), file);
    }

    private static Table1Row ReadRow(Reader reader, JsonNode? node, string at, IReadOnlyList<string> attributes)
    {
        var row = reader.Object(node, at);
        var errors = reader.Object(row["attributeErrors"], $"{at}.attributeErrors");
        var values = attributes.Select(a => errors.ContainsKey(a)
                ? reader.Number(errors[a], $"{at}.attributeErrors.{a}") ?? double.NaN
                : throw reader.Fail($"{at}.attributeErrors has no value for '{a}' (the table's attributes are {string.Join(", ", attributes)})"))
            .ToArray();
        IReadOnlyList<ConfusionMatrix>? confusions = null;
        if (row["confusion"] is JsonObject byAttribute)
            confusions = attributes.Select(a => ReadConfusion(reader, byAttribute[a], $"{at}.confusion.{a}", a)).ToArray();
        return new Table1Row(reader.Text(row["name"], $"{at}.name"), reader.Number(row["distance"], $"{at}.distance"), values,
            reader.Text(row["source"], $"{at}.source"), reader.Integer(row["images"], $"{at}.images"))
        {
            Diversity = reader.Number(row["diversity"], $"{at}.diversity"),
            LayoutDiversity = reader.Number(row["layoutDiversity"], $"{at}.layoutDiversity"),   // absent in tables written before the column
            Model = reader.OptionalText(row["model"], $"{at}.model"),
            Run = reader.OptionalText(row["run"], $"{at}.run"),
            Step = row["step"] is null ? null : reader.Whole(row["step"], $"{at}.step"),
            SpecHash = reader.OptionalText(row["specHash"], $"{at}.specHash"),
            Confusions = confusions,
        };
    }

    private static ConfusionMatrix ReadConfusion(Reader reader, JsonNode? node, string at, string attribute)
    {
        var matrix = reader.Object(node, at);
        var levels = reader.Array(matrix["levels"], $"{at}.levels").Select((l, i) => reader.Text(l, $"{at}.levels[{i}]")).ToArray();
        var counts = reader.Array(matrix["counts"], $"{at}.counts")
            .Select((r, i) => (IReadOnlyList<long>)reader.Array(r, $"{at}.counts[{i}]").Select((c, j) => reader.Whole(c, $"{at}.counts[{i}][{j}]")).ToArray())
            .ToArray();
        try
        {
            return new ConfusionMatrix(attribute, levels, counts);
        }
        catch (ArgumentException e)
        {
            throw reader.Fail($"{at}: {e.Message.Replace($" (Parameter '{e.ParamName}')", "", StringComparison.Ordinal)}");
        }
    }

    /// <summary>{ mean, sd, runs } of the runs with a finite value; null when none had one, sd null for a single run.</summary>
    private static JsonNode? Write(Spread spread) => spread.Count == 0 ? null : new JsonObject
    {
        ["mean"] = spread.Mean,
        ["sd"] = spread.Count > 1 ? spread.Sd : null,
        ["runs"] = spread.Count,
    };

    /// <summary>
    /// Per attribute { levels, counts }: counts[requested][predicted] images, rows and columns in the levels' order;
    /// null for a row whose answers are not known.
    /// </summary>
    private static JsonNode? Write(IReadOnlyList<ConfusionMatrix>? confusions)
    {
        if (confusions is null) return null;
        var byAttribute = new JsonObject();
        foreach (var matrix in confusions)
            byAttribute[matrix.Attribute] = new JsonObject
            {
                ["levels"] = new JsonArray(matrix.Levels.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
                ["counts"] = new JsonArray(matrix.Rows().Select(row => (JsonNode?)new JsonArray(row.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray())).ToArray()),
            };
        return byAttribute;
    }

    /// <summary>Typed access to the parsed nodes; every failure names the file and the field.</summary>
    private sealed class Reader(string origin)
    {
        public EvaluationException Fail(string what) =>
            new($"{origin}: {what}. Is it a table1.json of 'attributegan evaluate'? Evaluate the run again to write a new one.");

        public JsonObject Object(JsonNode? node, string at) => node as JsonObject ?? throw Fail($"{at} is {Kind(node)}, not an object");

        public JsonArray Array(JsonNode? node, string at) => node as JsonArray ?? throw Fail($"{at} is {Kind(node)}, not a list");

        public string Text(JsonNode? node, string at) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : throw Fail($"{at} is {Kind(node)}, not a text");

        public string? OptionalText(JsonNode? node, string at) => node is null ? null : Text(node, at);

        public int Integer(JsonNode? node, string at) => checked((int)Whole(node, at));

        public long Whole(JsonNode? node, string at) =>
            node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue(out long number)
                ? number : throw Fail($"{at} is {Kind(node)}, not a whole number");

        /// <summary>A number, null for null, NaN or ±Infinity for their names (the writer's named literals).</summary>
        public double? Number(JsonNode? node, string at)
        {
            if (node is null) return null;
            if (node is JsonValue value)
            {
                switch (value.GetValueKind())
                {
                    case JsonValueKind.Number: return value.GetValue<double>();
                    case JsonValueKind.String when double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out double named)
                                                   && !double.IsFinite(named):
                        return named;
                }
            }
            throw Fail($"{at} is {Kind(node)}, not a number");
        }

        private static string Kind(JsonNode? node) => node switch
        {
            null => "missing (or null)",
            JsonObject => "an object",
            JsonArray => "a list",
            JsonValue value => value.GetValueKind() switch
            {
                JsonValueKind.String => $"the text \"{value.GetValue<string>()}\"",
                JsonValueKind.Number => $"the number {value.ToJsonString()}",
                _ => value.ToJsonString(),
            },
            _ => node.ToJsonString(),
        };
    }
}
