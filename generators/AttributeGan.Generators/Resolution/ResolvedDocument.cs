using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Resolution;

/// <summary>
/// One spec file with its <c>base:</c> chain merged in. <see cref="Root"/> is null when the file or a base could
/// not be read; <see cref="Diagnostics"/> holds this file's reading and resolving problems.
/// </summary>
/// <param name="BaseKey">Where this file wrote <c>base:</c>, if it did: problems it inherits are reported there.</param>
internal sealed record ResolvedDocument(string Path, MappingNode? Root, EquatableArray<DiagnosticInfo> Diagnostics, LocationInfo? BaseKey)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}
