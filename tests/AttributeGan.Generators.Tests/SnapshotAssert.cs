using System;
using System.IO;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// Snapshots of this test project, in tests/AttributeGan.Generators.Tests/Snapshots. The convention (a committed
/// <c>.verified.cs</c>, a <c>.received.cs</c> written on a mismatch, <c>ATTRIBUTEGAN_ACCEPT_SNAPSHOTS=1</c> to accept) is
/// implemented once, in the SnapshotAssert the project template ships (compiled in here too), so the helper every new
/// project starts with is the one these tests exercise.
/// </summary>
public static class SnapshotAssert
{
    public const string AcceptVariable = AttributeGanApp.Tests.SnapshotAssert.AcceptVariable;

    /// <summary>The repository's root folder (the one holding AttributeGan.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>tests/AttributeGan.Generators.Tests/Snapshots in the source tree (not the build output).</summary>
    public static string SnapshotDirectory { get; } = Path.Combine(RepositoryRoot, "tests", "AttributeGan.Generators.Tests", "Snapshots");

    public static void Matches(string actual, string name) => AttributeGanApp.Tests.SnapshotAssert.Matches(actual, name, SnapshotDirectory);

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AttributeGan.sln")))
                return directory.FullName;

        throw new DirectoryNotFoundException("Could not find AttributeGan.sln above " + AppContext.BaseDirectory);
    }
}
