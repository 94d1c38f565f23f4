using System;
using System.IO;
using Xunit;

namespace AttributeGan.Runtime.Tests;

/// <summary>
/// The README's library example is samples/library/Program.cs, which scripts/packages-check.sh builds against the
/// packages and runs: the copy in the README must be that file, word for word, and stay within 15 lines.
/// </summary>
public class ReadmeLibraryExampleTests
{
    private const string Marker = "<!-- library example: samples/library/Program.cs -->";

    [Fact]
    public void The_readme_shows_the_sample_that_ci_compiles_and_runs()
    {
        string root = RepositoryRoot();
        string readme = File.ReadAllText(Path.Combine(root, "README.md")).Replace("\r\n", "\n", StringComparison.Ordinal);
        int marker = readme.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(marker >= 0, $"README.md has no '{Marker}' line before the example.");
        const string open = "```csharp\n";
        int start = readme.IndexOf(open, marker, StringComparison.Ordinal);
        Assert.Equal(marker + Marker.Length + 1, start);                      // the block follows the marker line
        start += open.Length;
        int end = readme.IndexOf("```", start, StringComparison.Ordinal);
        string shown = readme[start..end];

        string sample = File.ReadAllText(Path.Combine(root, "samples", "library", "Program.cs")).Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(sample, shown);
        Assert.InRange(sample.TrimEnd('\n').Split('\n').Length, 1, 15);
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AttributeGan.sln")))
                return directory.FullName;

        throw new DirectoryNotFoundException("Could not find AttributeGan.sln above " + AppContext.BaseDirectory);
    }
}
