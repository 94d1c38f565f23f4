using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AttributeGan.Generators.Model;

/// <summary>
/// A place in a YAML file as plain data (Roslyn's <see cref="Location"/> is not value-equal, which would break
/// incremental caching). Lines and columns are 0-based, as in <see cref="LinePosition"/>.
/// </summary>
internal sealed record LocationInfo(string Path, int Start, int Length, int StartLine, int StartColumn, int EndLine, int EndColumn)
{
    public static LocationInfo FileStart(string path) => new(path, 0, 0, 0, 0, 0, 0);

    /// <summary>The smallest span that covers this and <paramref name="end"/> (same file).</summary>
    public LocationInfo Through(LocationInfo end) =>
        end.Start + end.Length <= Start + Length
            ? this
            : this with { Length = end.Start + end.Length - Start, EndLine = end.EndLine, EndColumn = end.EndColumn };

    public Location ToLocation() =>
        Location.Create(
            Path,
            new TextSpan(Start, Length),
            new LinePositionSpan(new LinePosition(StartLine, StartColumn), new LinePosition(EndLine, EndColumn)));
}
