using System;
using System.Collections.Generic;
using System.IO;
using AttributeGan.Generators.Diagnostics;
using AttributeGan.Generators.Model;
using Microsoft.CodeAnalysis.Text;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace AttributeGan.Generators.Parsing;

/// <summary>
/// Reads one YAML file into a <see cref="SpecNode"/> tree from YamlDotNet's event stream, without recursion, and
/// with limits on size, depth and alias expansion, so that no input can crash or stall the compiler.
/// </summary>
internal static class YamlTreeReader
{
    public const int MaxFileCharacters = 1_000_000;
    public const int MaxDepth = 64;
    public const int MaxExpandedNodes = 50_000;

    public static ParsedDocument Read(string path, string? text)
    {
        var diagnostics = new List<DiagnosticInfo>();
        MappingNode? root = null;
        text ??= "";
        var lastRead = new Mark[1];
        try
        {
            root = ReadRoot(path, text, diagnostics, lastRead);
        }
        catch (YamlException e)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.YamlSyntaxError, LocateInText(path, text, e.Start.Index, e.End.Index), CleanMessage(e)));
            root = null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet 16.3 throws this (not a YamlException) when a flow collection is left open and lines follow.
            long at = lastRead[0].Index;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.YamlSyntaxError, LocateInText(path, text, at, at),
                "a '{' or '[' opened here or before is not closed; close it on the same line, or check the brackets and indentation"));
            root = null;
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.FileStart(path), e.GetType().Name + ": " + e.Message));
            root = null;
        }

        return new ParsedDocument(path, root, diagnostics.ToEquatableArray());
    }

    private static MappingNode? ReadRoot(string path, string text, List<DiagnosticInfo> diagnostics, Mark[] lastRead)
    {
        if (text.Length > MaxFileCharacters)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpecTooLarge, LocationInfo.FileStart(path), $"{text.Length:N0} characters, more than the {MaxFileCharacters:N0} a spec may have"));
            return null;
        }

        var parser = new Parser(new StringReader(text));
        var builder = new TreeBuilder(path, diagnostics);
        int documents = 0;
        while (parser.MoveNext())
        {
            var current = parser.Current!;
            lastRead[0] = current.Start;
            switch (current)
            {
                case DocumentStart start when !start.IsImplicit || documents > 0:
                    if (++documents > 1)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.YamlSyntaxError, Locate(path, current.Start, current.End),
                            "a spec file holds one YAML document; remove the second '---' section or move it to its own file"));
                        return null;
                    }
                    break;
                case DocumentStart:
                    documents++;
                    break;
                case StreamStart or StreamEnd or DocumentEnd:
                    break;
                default:
                    if (!builder.Accept(current)) return null;
                    break;
            }
        }

        var document = builder.Root;
        if (document is null || document is ScalarNode { IsNull: true })
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EmptySpec, LocationInfo.FileStart(path)));
            return null;
        }

        if (document is not MappingNode mapping)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongType, document.Location, "the spec", "a mapping of keys (name:, image:, ...)", document.KindName));
            return null;
        }

        return mapping;
    }

    internal static LocationInfo Locate(string path, Mark start, Mark end)
    {
        int startIndex = (int)Math.Min(start.Index, int.MaxValue);
        int endIndex = (int)Math.Min(Math.Max(end.Index, start.Index), int.MaxValue);
        return new LocationInfo(path, startIndex, endIndex - startIndex,
            (int)Math.Max(0, start.Line - 1), (int)Math.Max(0, start.Column - 1),
            (int)Math.Max(0, Math.Max(end.Line, start.Line) - 1), (int)Math.Max(0, (end.Line > start.Line ? end.Column : Math.Max(end.Column, start.Column)) - 1));
    }

    /// <summary>
    /// A location from character offsets, clamped into the text, with line and column counted from the text itself:
    /// YamlDotNet's marks at the end of a file without a final line break name a line the file does not have.
    /// </summary>
    internal static LocationInfo LocateInText(string path, string text, long startIndex, long endIndex)
    {
        int limit = text.TrimEnd('\n', '\r').Length;
        int start = (int)Math.Max(0, Math.Min(startIndex, limit));
        int end = (int)Math.Max(start, Math.Min(endIndex, limit));
        // Line breaks counted as the compiler counts them (\r, \n, \r\n, U+0085, U+2028, U+2029).
        var lines = SourceText.From(text).Lines;
        var span = lines.GetLinePositionSpan(new TextSpan(start, end - start));
        return new LocationInfo(path, start, end - start, span.Start.Line, span.Start.Character, span.End.Line, span.End.Character);
    }

    private static string CleanMessage(YamlException e)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the location is reported separately.
        var message = e.Message;
        int cut = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0) message = message.Substring(cut + 3);
        return message.TrimEnd('.');
    }

    /// <summary>Assembles nodes from parser events with an explicit stack.</summary>
    private sealed class TreeBuilder(string path, List<DiagnosticInfo> diagnostics)
    {
        private readonly Stack<Frame> frames = new();
        private readonly Dictionary<string, (SpecNode Node, int Size)> anchors = new(StringComparer.Ordinal);
        private int expanded;

        public SpecNode? Root { get; private set; }

        /// <returns>false when reading must stop (a limit was hit and reported).</returns>
        public bool Accept(ParsingEvent current)
        {
            var location = Locate(path, current.Start, current.End);
            switch (current)
            {
                case Scalar scalar:
                    if (!Count(1, location)) return false;
                    return Complete(new ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain, location), AnchorOf(scalar), expanded - 1, location);
                case AnchorAlias alias:
                    if (!anchors.TryGetValue(alias.Value.Value, out var target))
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.YamlSyntaxError, location, $"the alias *{alias.Value.Value} names no anchor defined before it"));
                        return false;
                    }

                    if (!Count(target.Size, location)) return false;
                    return Complete(target.Node, null, expanded, location);
                case MappingStart or SequenceStart:
                    if (frames.Count >= MaxDepth)
                    {
                        diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpecTooLarge, location, $"nesting deeper than {MaxDepth} levels"));
                        return false;
                    }

                    if (!Count(1, location)) return false;
                    frames.Push(new Frame(current is MappingStart, location, AnchorOf((NodeEvent)current), expanded - 1));
                    return true;
                case MappingEnd or SequenceEnd:
                    var frame = frames.Pop();
                    var span = frame.LastChildEnd is null ? frame.Start : frame.Start.Through(frame.LastChildEnd);
                    SpecNode node = frame.IsMapping
                        ? new MappingNode(frame.Entries.ToEquatableArray(), span)
                        : new SequenceNode(frame.Items.ToEquatableArray(), span);
                    return Complete(node, frame.Anchor, frame.CountAtStart, span);
                default:
                    return true;
            }
        }

        private static string? AnchorOf(NodeEvent node) => node.Anchor.IsEmpty ? null : node.Anchor.Value;

        private bool Count(int nodes, LocationInfo location)
        {
            expanded += nodes;
            if (expanded <= MaxExpandedNodes) return true;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SpecTooLarge, location, $"more than {MaxExpandedNodes:N0} values once aliases are expanded"));
            return false;
        }

        private bool Complete(SpecNode node, string? anchor, int countAtStart, LocationInfo written)
        {
            if (anchor is not null) anchors[anchor] = (node, Math.Max(1, expanded - countAtStart));
            if (frames.Count == 0)
            {
                Root = node;
                return true;
            }

            var parent = frames.Peek();
            parent.LastChildEnd = written;
            if (!parent.IsMapping)
            {
                parent.Items.Add(node);
                return true;
            }

            if (parent.PendingKey is null)
            {
                if (node is not ScalarNode key)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.WrongType, node.Location, "a key", "a plain name", node.KindName));
                    return false;
                }

                parent.PendingKey = key;
                return true;
            }

            var pendingKey = parent.PendingKey;
            parent.PendingKey = null;
            if (!parent.SeenKeys.Add(pendingKey.Value))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateKey, pendingKey.Location, pendingKey.Value));
                return true;
            }

            parent.Entries.Add(new MappingEntry(pendingKey, node));
            return true;
        }

        private sealed class Frame(bool isMapping, LocationInfo start, string? anchor, int countAtStart)
        {
            public bool IsMapping { get; } = isMapping;
            public LocationInfo Start { get; } = start;
            public string? Anchor { get; } = anchor;
            public int CountAtStart { get; } = countAtStart;
            public LocationInfo? LastChildEnd { get; set; }
            public ScalarNode? PendingKey { get; set; }
            public List<SpecNode> Items { get; } = new();
            public List<MappingEntry> Entries { get; } = new();
            public HashSet<string> SeenKeys { get; } = new(StringComparer.Ordinal);
        }
    }
}
