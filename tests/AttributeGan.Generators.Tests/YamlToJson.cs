using System;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// Converts a spec's YAML to JSON the way YAML 1.2 editors type it, so JSON Schema can check it: plain scalars become
/// integers, floats (including <c>.inf</c> and <c>.nan</c>), <c>true</c>/<c>false</c> or null; quoted scalars stay
/// strings. Integers are decimal only, as the spec compiler reads them (<c>0x10</c> stays text).
/// </summary>
public static class YamlToJson
{
    private static readonly Regex Integer = new(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex Float = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    /// <summary>JSON has no literal for non-finite numbers: they are written as .NET's named literals ("Infinity", "NaN"), which are strings.</summary>
    private static readonly JsonSerializerOptions NamedFloatingPoint = new() { NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <returns>The document as a JSON tree (null for an empty document or a plain null).</returns>
    public static JsonNode? Convert(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count != 1) throw new FormatException($"Expected one YAML document, found {stream.Documents.Count}.");
        return Convert(stream.Documents[0].RootNode);
    }

    /// <summary>The JSON tree as an element that JSON Schema evaluators take.</summary>
    public static JsonElement ToElement(JsonNode? node) => JsonSerializer.SerializeToElement(node, NamedFloatingPoint);

    public static JsonElement ToElement(string yaml) => ToElement(Convert(yaml));

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlScalarNode scalar => Scalar(scalar),
        YamlSequenceNode sequence => Sequence(sequence),
        YamlMappingNode mapping => Mapping(mapping),
        _ => throw new FormatException($"Unsupported YAML node {node.NodeType} at {node.Start}."),
    };

    private static JsonArray Sequence(YamlSequenceNode sequence)
    {
        var array = new JsonArray();
        foreach (var item in sequence.Children) array.Add(Convert(item));
        return array;
    }

    private static JsonObject Mapping(YamlMappingNode mapping)
    {
        var result = new JsonObject();
        foreach (var entry in mapping.Children)
        {
            if (entry.Key is not YamlScalarNode { Value: { } key }) throw new FormatException($"A mapping key must be a scalar (at {entry.Key.Start}).");
            if (result.ContainsKey(key)) throw new FormatException($"Duplicate key '{key}' at {entry.Key.Start}.");
            result[key] = Convert(entry.Value);
        }

        return result;
    }

    internal static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style is not (YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any)) return JsonValue.Create(text);

        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF": return JsonValue.Create(double.PositiveInfinity);
            case "-.inf" or "-.Inf" or "-.INF": return JsonValue.Create(double.NegativeInfinity);
            case ".nan" or ".NaN" or ".NAN": return JsonValue.Create(double.NaN);
        }

        if (Integer.IsMatch(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long small)) return JsonValue.Create(small);
            if (decimal.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out decimal large)) return JsonValue.Create(large);
            return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        if (Float.IsMatch(text)) return JsonValue.Create(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        return JsonValue.Create(text);
    }
}
