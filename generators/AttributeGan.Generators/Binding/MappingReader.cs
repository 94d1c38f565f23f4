using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AttributeGan.Generators.Diagnostics;
using AttributeGan.Generators.Helpers;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Binding;

/// <summary>
/// Reads typed values out of one YAML mapping, records where each was written, and reports wrong types, missing
/// keys and keys the language does not know (with the closest known key as a suggestion).
/// </summary>
internal sealed class MappingReader
{
    private readonly MappingNode node;
    private readonly string path;
    private readonly string schemaPath;
    private readonly BindingContext context;

    public MappingReader(MappingNode node, string path, string schemaPath, BindingContext context)
    {
        this.node = node;
        this.path = path;
        this.schemaPath = schemaPath;
        this.context = context;
        context.Record(path, node.Location);
        ReportUnknownKeys();
    }

    /// <summary>Reads <paramref name="value"/> as a mapping, or reports what it is instead.</summary>
    public static MappingReader? Of(SpecNode value, string path, string schemaPath, BindingContext context)
    {
        if (value is MappingNode mapping) return new MappingReader(mapping, path, schemaPath, context);
        context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(path), "a mapping of keys", value.KindName);
        return null;
    }

    public LocationInfo Location => node.Location;

    public string PathOf(string key) => path.Length == 0 ? key : path + "." + key;

    public SpecNode? Value(string key)
    {
        var entry = node.Find(key);
        if (entry is null || entry.Value is ScalarNode { IsNull: true }) return null;
        context.Record(PathOf(key), entry.Value.Location);
        return entry.Value;
    }

    public bool Has(string key) => Value(key) is not null;

    /// <summary>The value, or a <see cref="DiagnosticDescriptors.MissingKey"/> diagnostic on this mapping.</summary>
    public SpecNode? Required(string key, string purpose)
    {
        var value = Value(key);
        if (value is null) context.Report(DiagnosticDescriptors.MissingKey, node.Location, Describe(path), key, purpose);
        return value;
    }

    public int? Int(string key, int fallback, int min = int.MinValue, int max = int.MaxValue) =>
        Value(key) is { } value ? ReadInt(value, PathOf(key), min, max, context) : fallback;

    public int? RequiredInt(string key, string purpose, int min = int.MinValue, int max = int.MaxValue) =>
        Required(key, purpose) is { } value ? ReadInt(value, PathOf(key), min, max, context) : null;

    public double? Double(string key, double fallback) =>
        Value(key) is { } value ? ReadDouble(value, PathOf(key), context) : fallback;

    public bool? Bool(string key, bool fallback)
    {
        var value = Value(key);
        if (value is null) return fallback;
        if (value is ScalarNode { IsPlain: true } scalar)
        {
            if (scalar.Value is "true" or "True" or "TRUE") return true;
            if (scalar.Value is "false" or "False" or "FALSE") return false;
        }

        context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(PathOf(key)), "true or false", Show(value));
        return null;
    }

    public string? String(string key)
    {
        var value = Value(key);
        if (value is null) return null;
        if (value is ScalarNode scalar) return scalar.Value;
        context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(PathOf(key)), "a text value", value.KindName);
        return null;
    }

    /// <summary>One of <paramref name="choices"/> (by spec spelling); a misspelling gets a suggestion.</summary>
    public T? Choice<T>(string key, T fallback, params (string Spelling, T Value)[] choices) where T : struct
    {
        var value = Value(key);
        if (value is null) return fallback;
        if (value is ScalarNode scalar)
        {
            foreach (var choice in choices)
                if (choice.Spelling == scalar.Value) return choice.Value;
            var closest = Spelling.Closest(scalar.Value, choices.Select(c => c.Spelling));
            context.Report(DiagnosticDescriptors.UnknownChoice, value.Location, Describe(PathOf(key)), Truncate(scalar.Value),
                string.Join(", ", choices.Select(c => c.Spelling)), closest is null ? "" : $" (did you mean '{closest}'?)");
            return null;
        }

        context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(PathOf(key)), "one of " + string.Join(", ", choices.Select(c => c.Spelling)), value.KindName);
        return null;
    }

    /// <summary>
    /// A list of <paramref name="choices"/> (a single choice reads as a list of one); absent reads as
    /// <paramref name="fallback"/>. A repeated entry is AGAN029, a misspelt one AGAN024 with a suggestion.
    /// </summary>
    public List<T>? ChoiceList<T>(string key, IReadOnlyList<T> fallback, params (string Spelling, T Value)[] choices) where T : struct
    {
        var value = Value(key);
        if (value is null) return fallback.ToList();
        IReadOnlyList<SpecNode>? items = value switch
        {
            SequenceNode sequence => sequence.Items,
            ScalarNode => new[] { value },
            _ => null,
        };
        if (items is null)
        {
            context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(PathOf(key)), "a list of " + string.Join(", ", choices.Select(c => c.Spelling)), value.KindName);
            return null;
        }

        var result = new List<T>();
        bool ok = true;
        for (int i = 0; i < items.Count; i++)
        {
            string itemPath = value is SequenceNode ? $"{PathOf(key)}[{i}]" : PathOf(key);
            context.Record(itemPath, items[i].Location);
            if (items[i] is not ScalarNode { IsNull: false } scalar)
            {
                context.Report(DiagnosticDescriptors.WrongType, items[i].Location, Describe(itemPath), "one of " + string.Join(", ", choices.Select(c => c.Spelling)), items[i].KindName);
                ok = false;
                continue;
            }

            var match = choices.Where(c => c.Spelling == scalar.Value).Select(c => (T?)c.Value).FirstOrDefault();
            if (match is null)
            {
                var closest = Spelling.Closest(scalar.Value, choices.Select(c => c.Spelling));
                context.Report(DiagnosticDescriptors.UnknownChoice, scalar.Location, Describe(itemPath), Truncate(scalar.Value),
                    string.Join(", ", choices.Select(c => c.Spelling)), closest is null ? "" : $" (did you mean '{closest}'?)");
                ok = false;
            }
            else if (result.Contains(match.Value))
            {
                context.Report(DiagnosticDescriptors.DuplicateEntry, scalar.Location, Describe(PathOf(key)), Truncate(scalar.Value));
                ok = false;
            }
            else
            {
                result.Add(match.Value);
            }
        }

        return ok ? result : null;
    }

    /// <summary>A list of integers; <c>null</c> or absent reads as empty.</summary>
    public List<int>? IntList(string key, int min, int max)
    {
        var value = Value(key);
        if (value is null) return new List<int>();
        if (value is not SequenceNode sequence)
        {
            if (value is ScalarNode single && ReadInt(single, PathOf(key), min, max, context) is { } only) return new List<int> { only };
            context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(PathOf(key)), "a list of integers such as [32, 64]", value.KindName);
            return null;
        }

        var result = new List<int>();
        bool ok = true;
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            var item = ReadInt(sequence.Items[i], $"{PathOf(key)}[{i}]", min, max, context);
            context.Record($"{PathOf(key)}[{i}]", sequence.Items[i].Location);
            if (item is null) ok = false;
            else result.Add(item.Value);
        }

        return ok ? result : null;
    }

    public SequenceNode? Sequence(string key, bool required, string purpose)
    {
        var value = required ? Required(key, purpose) : Value(key);
        if (value is null) return null;
        if (value is SequenceNode sequence) return sequence;
        context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(PathOf(key)), "a list", value.KindName);
        return null;
    }

    public MappingReader? Mapping(string key, bool required, string purpose)
    {
        var value = required ? Required(key, purpose) : Value(key);
        return value is null ? null : Of(value, PathOf(key), SchemaPathOf(key), context);
    }

    public string SchemaPathOf(string key) => schemaPath.Length == 0 ? key : schemaPath + "." + key;

    internal static int? ReadInt(SpecNode value, string path, int min, int max, BindingContext context)
    {
        if (value is ScalarNode { IsPlain: true } scalar &&
            long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number))
        {
            if (number >= min && number <= max) return (int)number;
            context.Report(DiagnosticDescriptors.OutOfRange, value.Location, Describe(path), Truncate(scalar.Value), Range(min, max));
            return null;
        }

        if (value is ScalarNode { IsPlain: true } big && big.Value.Length > 0 && big.Value.TrimStart('-', '+').All(char.IsDigit))
        {
            context.Report(DiagnosticDescriptors.OutOfRange, value.Location, Describe(path), Truncate(big.Value), Range(min, max));
            return null;
        }

        context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(path), "an integer", Show(value));
        return null;
    }

    internal static double? ReadDouble(SpecNode value, string path, BindingContext context)
    {
        if (value is ScalarNode { IsPlain: true } scalar)
        {
            switch (scalar.Value)
            {
                case ".inf" or ".Inf" or ".INF" or "+.inf": return double.PositiveInfinity;
                case "-.inf" or "-.Inf" or "-.INF": return double.NegativeInfinity;
                case ".nan" or ".NaN" or ".NAN": return double.NaN;
            }

            if (double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)) return number;
        }

        context.Report(DiagnosticDescriptors.WrongType, value.Location, Describe(path), "a number", Show(value));
        return null;
    }

    internal static string Describe(string path) => path.Length == 0 ? "The spec" : "'" + path + "'";

    internal static string Show(SpecNode value) => value is ScalarNode scalar
        ? (scalar.IsPlain ? "'" + Truncate(scalar.Value) + "'" : "the quoted text '" + Truncate(scalar.Value) + "'")
        : value.KindName;

    internal static string Truncate(string text) => text.Length <= 40 ? text : text.Substring(0, 37) + "...";

    private static string Range(int min, int max) =>
        max == int.MaxValue ? $"at least {min}" : min == int.MinValue ? $"at most {max}" : $"between {min} and {max}";

    private void ReportUnknownKeys()
    {
        if (!SpecSchema.KeysByPath.TryGetValue(schemaPath, out var known)) return;
        foreach (var entry in node.Entries)
        {
            if (known.Contains(entry.Key.Value)) continue;
            var closest = Spelling.Closest(entry.Key.Value, known);
            context.Report(DiagnosticDescriptors.UnknownKey, entry.Key.Location, Truncate(entry.Key.Value),
                path.Length == 0 ? "the spec" : "'" + path + "'",
                closest is null ? "" : $" (did you mean '{closest}'?)",
                string.Join(", ", known));
        }
    }
}
