using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Resolution;

/// <summary>
/// One spec file with its <c>base:</c> chain merged in. <see cref="Root"/> is null when the file or a base could
/// not be read; <see cref="Diagnostics"/> holds this file's reading and resolving problems.
/// </summary>
internal sealed record ResolvedDocument(string Path, MappingNode? Root, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}
