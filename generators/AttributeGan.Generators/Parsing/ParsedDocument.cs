using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Parsing;

/// <summary>One spec file after reading: its tree (null when it could not be read) and the problems found.</summary>
internal sealed record ParsedDocument(string Path, MappingNode? Root, EquatableArray<DiagnosticInfo> Diagnostics);
