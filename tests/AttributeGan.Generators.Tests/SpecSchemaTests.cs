using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using AttributeGan.Generators.Binding;
using Json.Schema;
using Xunit;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// Holds <c>specs/spec.schema.json</c> to the spec language: every shipped spec validates, its keys are exactly
/// <see cref="SpecSchema.KeysByPath"/>, and specs the compiler rejects for a type, key or range are rejected too.
/// </summary>
public class SpecSchemaTests
{
    private const string Modeline = "# yaml-language-server: $schema=spec.schema.json";

    private static readonly string SchemaPath = Path.Combine(GeneratorHarness.SpecsDirectory, "spec.schema.json");

    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaPath)));

    private static readonly Lazy<JsonObject> SchemaTree = new(() => JsonNode.Parse(File.ReadAllText(SchemaPath))!.AsObject());

    /// <summary>A complete spec with every key of the language, valid for the schema and the compiler.</summary>
    private const string Complete = """
        name: Small
        image: { resolution: 16, channels: 3 }
        latent: 16
        attributes:
          crowding: [normal, mild, severe]
          mitosis: [rare, frequent]
        generator:
          initial: { resolution: 4, channels: 16, attribute_channels: 8 }
          norm: batch
          blur: true
          stages:
            - { resolution: 8, channels: 16 }
            - { resolution: 16, channels: 8 }
          attention: { at: [8], heads: 2, key_dim: 4, value_dim: 4 }
          skip_excitation:
            - { from: 8, to: 16 }
          output: tanh
        discriminator:
          input_channels: 8
          blur: true
          stages:
            - { resolution: 8, channels: 16 }
            - { resolution: 4, channels: 32 }
          attention: { at: [8], heads: 2 }
          projection: projection
          contrastive: { at: 8, dim: 16, temperature: 0.1 }
          reconstruction: { at: [4, 8], size: 16 }
          classifier: { at: 4 }
        losses:
          adversarial: hinge
          reconstruction: 1.0
          contrastive: { discriminator: 1.0, generator: 1.0, negatives: global_batch }
          classification: { discriminator: 1.0, generator: 0.5 }
        training:
          batch: 8
          steps: 20
          learning_rate: 2.0e-4
          betas: [0.5, 0.9]
          ema: { decay: 0.9, start: 5, every: 1 }
          seed: 7
          checkpoint_every: 10
          combination_percentile: 20
          augmentation: { crop: 0.25, colour: false, translation: true }

        """;

    public static TheoryData<string> ShippedSpecs()
    {
        var data = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(GeneratorHarness.SpecsDirectory, "*.yaml").OrderBy(p => p, StringComparer.Ordinal))
            data.Add(Path.GetFileName(path));
        return data;
    }

    [Fact]
    public void The_schema_is_a_valid_draft_2020_12_schema()
    {
        var results = MetaSchemas.Draft202012.Evaluate(JsonDocument.Parse(File.ReadAllText(SchemaPath)).RootElement, ListOptions);
        Assert.True(results.IsValid, Describe(results));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", SchemaTree.Value["$schema"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(ShippedSpecs))]
    public void Every_shipped_spec_validates_and_names_the_schema_in_its_first_line(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(GeneratorHarness.SpecsDirectory, fileName));
        Assert.StartsWith(Modeline + "\n", text.Replace("\r\n", "\n"), StringComparison.Ordinal);
        AssertValid(text);
    }

    [Fact]
    public void The_schema_allows_exactly_the_keys_the_binder_reads_at_every_path()
    {
        var schemaKeys = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var freeForm = new SortedSet<string>(StringComparer.Ordinal);
        Walk(SchemaTree.Value, "", schemaKeys, freeForm, depth: 0);

        var problems = new List<string>();
        foreach (var path in schemaKeys.Keys.Union(SpecSchema.KeysByPath.Keys).Distinct().OrderBy(p => p, StringComparer.Ordinal))
        {
            var inSchema = schemaKeys.TryGetValue(path, out var s) ? s : new SortedSet<string>();
            var inBinder = SpecSchema.KeysByPath.TryGetValue(path, out var b) ? new SortedSet<string>(b, StringComparer.Ordinal) : new SortedSet<string>();
            var onlySchema = inSchema.Except(inBinder).ToList();
            var onlyBinder = inBinder.Except(inSchema).ToList();
            string where = path.Length == 0 ? "<root>" : path;
            if (onlySchema.Count > 0) problems.Add($"{where}: in the schema but not in SpecSchema.KeysByPath: {string.Join(", ", onlySchema)}");
            if (onlyBinder.Count > 0) problems.Add($"{where}: in SpecSchema.KeysByPath but not in the schema: {string.Join(", ", onlyBinder)}");
        }

        var expectedFree = new SortedSet<string>(SpecSchema.FreeFormPaths, StringComparer.Ordinal);
        if (!freeForm.SetEquals(expectedFree))
            problems.Add($"free-form mappings: schema has [{string.Join(", ", freeForm)}], SpecSchema.FreeFormPaths has [{string.Join(", ", expectedFree)}]");

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_keys_a_complete_spec_requires_exist_in_the_schema()
    {
        // `then` (no base:) names required keys by path; each must be a key the schema defines there.
        var schemaKeys = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        Walk(SchemaTree.Value, "", schemaKeys, new SortedSet<string>(), depth: 0);
        var problems = new List<string>();
        CheckRequired(SchemaTree.Value["then"]!.AsObject(), "", schemaKeys, problems);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Equal(new[] { "name", "image", "latent", "attributes", "generator", "discriminator" },
            SchemaTree.Value["then"]!["required"]!.AsArray().Select(n => n!.GetValue<string>()));
    }

    [Fact]
    public void The_converter_types_plain_scalars_and_keeps_quoted_ones_as_text()
    {
        var json = YamlToJson.Convert("""
            a: 12
            b: -3
            c: 2.0e-4
            d: .inf
            e: -.Inf
            f: .nan
            g: true
            h: FALSE
            i: null
            j: ~
            k:
            l: '12'
            m: "true"
            n: 0x10
            o: text
            """)!.AsObject();

        Assert.Equal(12L, json["a"]!.GetValue<long>());
        Assert.Equal(-3L, json["b"]!.GetValue<long>());
        Assert.Equal(2.0e-4, json["c"]!.GetValue<double>());
        Assert.Equal(double.PositiveInfinity, json["d"]!.GetValue<double>());
        Assert.Equal(double.NegativeInfinity, json["e"]!.GetValue<double>());
        Assert.True(double.IsNaN(json["f"]!.GetValue<double>()));
        Assert.True(json["g"]!.GetValue<bool>());
        Assert.False(json["h"]!.GetValue<bool>());
        Assert.True(json.ContainsKey("i") && json["i"] is null && json["j"] is null && json["k"] is null);
        Assert.Equal("12", json["l"]!.GetValue<string>());
        Assert.Equal("true", json["m"]!.GetValue<string>());
        Assert.Equal("0x10", json["n"]!.GetValue<string>());
        Assert.Equal("text", json["o"]!.GetValue<string>());
    }

    public static TheoryData<string, string, string> InvalidSpecs() => new()
    {
        // what, the wrong spec, the diagnostic the compiler reports for it
        { "unknown key", Replace(Complete, "latent: 16\n", "latent: 16\nlatnet: 16\n"), "AGAN002" },
        { "unknown key in a nested mapping", Replace(Complete, "  norm: batch\n  blur: true", "  norm: batch\n  blurr: true"), "AGAN002" },
        { "wrong enum value", Replace(Complete, "norm: batch", "norm: instance"), "AGAN024" },
        { "wrong enum value (projection)", Replace(Complete, "projection: projection", "projection: projections"), "AGAN024" },
        { "negative channels", Replace(Complete, "- { resolution: 8, channels: 16 }\n    - { resolution: 16", "- { resolution: 8, channels: -16 }\n    - { resolution: 16"), "AGAN019" },
        { "zero latent", Replace(Complete, "latent: 16", "latent: 0"), "AGAN019" },
        { "quoted integer", Replace(Complete, "latent: 16", "latent: '16'"), "AGAN003" },
        { "boolean written yes", Replace(Complete, "  norm: batch\n  blur: true", "  norm: batch\n  blur: yes"), "AGAN003" },
        { "required key missing", Replace(Complete, "latent: 16\n", ""), "AGAN004" },
        { "required key null", Replace(Complete, "latent: 16", "latent: null"), "AGAN004" },
        { "nested required key missing", Replace(Complete, "initial: { resolution: 4, channels: 16, attribute_channels: 8 }", "initial: { resolution: 4, attribute_channels: 8 }"), "AGAN004" },
        { "one level", Replace(Complete, "mitosis: [rare, frequent]", "mitosis: [rare]"), "AGAN016" },
        { "duplicate level", Replace(Complete, "mitosis: [rare, frequent]", "mitosis: [rare, rare]"), "AGAN017" },
        { "no stages", Replace(Complete, "    - { resolution: 8, channels: 16 }\n    - { resolution: 4, channels: 32 }\n", "    []\n"), "AGAN016" },
        { "infinite temperature", Replace(Complete, "temperature: 0.1", "temperature: .inf"), "AGAN018" },
        { "zero temperature", Replace(Complete, "temperature: 0.1", "temperature: 0"), "AGAN018" },
        { "negative loss weight", Replace(Complete, "reconstruction: 1.0", "reconstruction: -1"), "AGAN018" },
        { "beta of 1", Replace(Complete, "betas: [0.5, 0.9]", "betas: [0.5, 1.0]"), "AGAN019" },
        { "three betas", Replace(Complete, "betas: [0.5, 0.9]", "betas: [0.5, 0.9, 0.99]"), "AGAN003" },
        { "image below 8", Replace(Complete, "image: { resolution: 16, channels: 3 }", "image: { resolution: 4, channels: 3 }"), "AGAN006" },
        { "model name not an identifier", Replace(Complete, "name: Small", "name: small-model"), "AGAN023" },
        { "level name not an identifier", Replace(Complete, "mitosis: [rare, frequent]", "mitosis: [rare, 2+]"), "AGAN028" },
        { "duplicate skip link", Replace(Complete, "    - { from: 8, to: 16 }\n", "    - { from: 8, to: 16 }\n    - { from: 8, to: 16 }\n"), "AGAN029" },
        { "contrastive weights as a list", Replace(Complete, "contrastive: { discriminator: 1.0, generator: 1.0, negatives: global_batch }", "contrastive: [1.0, 1.0]"), "AGAN003" },
        { "wrong enum value (negatives)", Replace(Complete, "negatives: global_batch", "negatives: global"), "AGAN024" },
        { "negatives as a list", Replace(Complete, "negatives: global_batch", "negatives: [global_batch]"), "AGAN003" },
        { "unknown key in the classifier", Replace(Complete, "classifier: { at: 4 }", "classifier: { at: 4, dim: 8 }"), "AGAN002" },
        { "classifier at 0", Replace(Complete, "classifier: { at: 4 }", "classifier: { at: 0 }"), "AGAN019" },
        { "classifier as a number", Replace(Complete, "classifier: { at: 4 }", "classifier: 4"), "AGAN003" },
        { "negative classification weight", Replace(Complete, "classification: { discriminator: 1.0, generator: 0.5 }", "classification: { discriminator: -1.0, generator: 0.5 }"), "AGAN018" },
        { "negative scalar classification weight", Replace(Complete, "classification: { discriminator: 1.0, generator: 0.5 }", "classification: -0.5"), "AGAN018" },
        { "classification weights as a list", Replace(Complete, "classification: { discriminator: 1.0, generator: 0.5 }", "classification: [1.0, 0.5]"), "AGAN003" },
        { "unknown key in the classification weights", Replace(Complete, "generator: 0.5 }", "generator: 0.5, negatives: global_batch }"), "AGAN002" },
        { "base: null", "base: null\nname: Other\n", "AGAN003" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void A_spec_the_compiler_rejects_for_its_keys_types_or_ranges_fails_the_schema(string what, string yaml, string id)
    {
        var results = Schema.Value.Evaluate(YamlToJson.ToElement(yaml), ListOptions);
        Assert.False(results.IsValid, $"the schema accepted a spec with {what}");

        var run = GeneratorHarness.Run(new[] { GeneratorHarness.InMemory("small.yaml", yaml) });
        Assert.Contains(id, run.GeneratorDiagnostics.Select(d => d.Id));
    }

    public static TheoryData<string, string> ValidDeltas() => new()
    {
        { "only a name", "base: small.yaml\nname: Other\n" },
        { "null removes heads and attention", """
            base: small.yaml
            name: Other
            generator:
              attention: null
              skip_excitation: null
            discriminator:
              attention: null
              contrastive: null
              reconstruction: null
              classifier: null
            losses:
              contrastive: 0
              reconstruction: 0
              classification: 0

            """ },
        { "a partial nested mapping merges", """
            base: small.yaml
            name: Other
            generator:
              initial: { attribute_channels: 16 }
            discriminator:
              contrastive: { dim: 32 }

            """ },
        { "local batch statistics and local contrastive negatives", """
            base: small.yaml
            name: Other
            generator:
              norm: local_batch
            losses:
              contrastive: { negatives: local_batch }

            """ },
        { "single-integer forms and a scalar contrastive weight", """
            base: small.yaml
            name: Other
            generator:
              attention: { at: 8, heads: 4 }
            discriminator:
              reconstruction: { at: 4, size: 16 }
            losses:
              contrastive: 0.5
            training:
              ema: { decay: 1 }

            """ },
        { "a classifier at the default resolution and a scalar classification weight", """
            base: small.yaml
            name: Other
            discriminator:
              classifier: { at: null }
            losses:
              classification: 0.25

            """ },
    };

    [Theory]
    [MemberData(nameof(ValidDeltas))]
    public void A_delta_may_omit_required_keys_and_remove_inherited_ones_with_null(string what, string yaml)
    {
        AssertValid(yaml, what);
        var run = GeneratorHarness.Run(new[] { GeneratorHarness.InMemory("small.yaml", Complete), GeneratorHarness.InMemory("other.yaml", yaml) });
        Assert.Empty(run.GeneratorDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void The_complete_test_spec_is_valid_for_the_schema_and_the_compiler()
    {
        AssertValid(Complete);
        var run = GeneratorHarness.Run(new[] { GeneratorHarness.InMemory("small.yaml", Complete) });
        Assert.Empty(run.GeneratorDiagnostics.Select(d => d.ToString()));
    }

    [Fact]
    public void A_delta_still_has_its_values_checked()
    {
        Assert.False(Schema.Value.Evaluate(YamlToJson.ToElement("base: small.yaml\nname: Other\nlatent: -1\n"), ListOptions).IsValid);
        Assert.False(Schema.Value.Evaluate(YamlToJson.ToElement("base: small.yaml\nname: Other\ngenerator: { atention: null }\n"), ListOptions).IsValid);
        Assert.False(Schema.Value.Evaluate(YamlToJson.ToElement("base: small\nname: Other\n"), ListOptions).IsValid);
    }

    [Fact]
    public void The_reference_documents_every_key_and_every_diagnostic()
    {
        var docs = Path.Combine(Path.GetDirectoryName(GeneratorHarness.SpecsDirectory)!, "docs");
        var language = File.ReadAllText(Path.Combine(docs, "spec-language.md"));
        var missingKeys = SpecSchema.KeysByPath
            .SelectMany(entry => entry.Value.Select(key => (Path: entry.Key, Key: key, Full: entry.Key.Length == 0 ? key : entry.Key + "." + key)))
            .Where(k => !language.Contains("`" + k.Full + "`", StringComparison.Ordinal) &&
                        !(k.Path.EndsWith(".attention", StringComparison.Ordinal) && language.Contains("`attention." + k.Key + "`", StringComparison.Ordinal)))
            .Select(k => k.Full)
            .ToList();
        Assert.True(missingKeys.Count == 0, "docs/spec-language.md does not describe: " + string.Join(", ", missingKeys));

        var diagnostics = File.ReadAllText(Path.Combine(docs, "diagnostics.md")).Replace("\r\n", "\n");
        var problems = new List<string>();
        foreach (var descriptor in AttributeGan.Generators.Diagnostics.DiagnosticDescriptors.All.OrderBy(d => d.Id, StringComparer.Ordinal))
        {
            string anchor = descriptor.Id.ToLowerInvariant();
            if (descriptor.HelpLinkUri != "docs/diagnostics.md#" + anchor) problems.Add($"{descriptor.Id}: help link {descriptor.HelpLinkUri}");
            string severity = descriptor.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Warning ? "warning" : "error";
            string section = $"\n## {descriptor.Id}\n\n**{descriptor.Title}** · {severity}\n";
            if (!diagnostics.Contains(section, StringComparison.Ordinal)) problems.Add($"{descriptor.Id}: no section starting '{section.Trim()}'");
            if (!diagnostics.Contains($"[{descriptor.Id}](#{anchor})", StringComparison.Ordinal)) problems.Add($"{descriptor.Id}: not in the index");
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static readonly EvaluationOptions ListOptions = new() { OutputFormat = OutputFormat.List };

    private static void AssertValid(string yaml, string what = "")
    {
        var results = Schema.Value.Evaluate(YamlToJson.ToElement(yaml), ListOptions);
        Assert.True(results.IsValid, (what.Length > 0 ? what + ": " : "") + Describe(results));
    }

    private static string Describe(EvaluationResults results)
    {
        var lines = new List<string>();
        void Collect(EvaluationResults node)
        {
            if (node.Errors is { } errors)
                foreach (var error in errors) lines.Add($"{node.InstanceLocation} ({node.EvaluationPath}): {error.Key}: {error.Value}");
            if (node.Details is { } details)
                foreach (var detail in details) Collect(detail);
        }

        Collect(results);
        return lines.Count == 0 ? "invalid" : string.Join("\n", lines);
    }

    private static string Replace(string text, string old, string replacement)
    {
        int first = text.IndexOf(old, StringComparison.Ordinal);
        if (first < 0 || text.IndexOf(old, first + 1, StringComparison.Ordinal) >= 0)
            throw new ArgumentException($"'{old}' must occur exactly once in the spec.");
        return text.Substring(0, first) + replacement + text.Substring(first + old.Length);
    }

    /// <summary>
    /// Collects the keys of every mapping the schema describes, by path (list items as <c>[]</c>), following
    /// <c>$ref</c>, <c>anyOf</c>, <c>oneOf</c> and <c>allOf</c>; mappings with free keys (<c>additionalProperties</c>
    /// as a schema, no <c>properties</c>) go to <paramref name="freeForm"/>. <c>if</c>/<c>then</c> add no keys.
    /// </summary>
    private static void Walk(JsonObject schema, string path, SortedDictionary<string, SortedSet<string>> keys, SortedSet<string> freeForm, int depth)
    {
        Assert.True(depth < 32, "the schema's $ref chain loops at " + path);
        if (schema["$ref"] is JsonValue reference) Walk(Resolve(reference.GetValue<string>()), path, keys, freeForm, depth + 1);
        foreach (var combinator in new[] { "anyOf", "oneOf", "allOf" })
            if (schema[combinator] is JsonArray branches)
                foreach (var branch in branches) Walk(branch!.AsObject(), path, keys, freeForm, depth + 1);

        if (schema["properties"] is JsonObject properties)
        {
            if (!keys.TryGetValue(path, out var set)) keys[path] = set = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var property in properties)
            {
                set.Add(property.Key);
                Walk(property.Value!.AsObject(), path.Length == 0 ? property.Key : path + "." + property.Key, keys, freeForm, depth + 1);
            }

            Assert.True(schema["additionalProperties"] is JsonValue closed && !closed.GetValue<bool>(),
                $"the mapping at '{path}' must set additionalProperties: false");
        }
        else if (schema["additionalProperties"] is JsonObject)
        {
            freeForm.Add(path);
        }

        if (schema["items"] is JsonObject items) Walk(items, path + "[]", keys, freeForm, depth + 1);
    }

    private static JsonObject Resolve(string reference)
    {
        Assert.StartsWith("#/", reference);
        JsonNode node = SchemaTree.Value;
        foreach (var part in reference.Substring(2).Split('/')) node = node[part.Replace("~1", "/").Replace("~0", "~")]!;
        return node.AsObject();
    }

    private static void CheckRequired(JsonObject constraint, string path, SortedDictionary<string, SortedSet<string>> keys, List<string> problems)
    {
        var known = keys.TryGetValue(path, out var set) ? set : new SortedSet<string>();
        if (constraint["required"] is JsonArray required)
            foreach (var key in required.Select(k => k!.GetValue<string>()).Where(k => !known.Contains(k)))
                problems.Add($"then requires '{key}' at '{path}', which the schema does not define there");
        if (constraint["properties"] is JsonObject properties)
            foreach (var property in properties)
            {
                if (!known.Contains(property.Key)) problems.Add($"then constrains '{property.Key}' at '{path}', which the schema does not define there");
                CheckRequired(property.Value!.AsObject(), path.Length == 0 ? property.Key : path + "." + property.Key, keys, problems);
            }
    }
}
