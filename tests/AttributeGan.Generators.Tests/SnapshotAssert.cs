using System;
using System.IO;
using Xunit.Sdk;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// Verify's convention without Verify: <c>Snapshots/&lt;name&gt;.verified.cs</c> is committed and reviewed in diffs. A
/// missing or different snapshot fails and writes <c>&lt;name&gt;.received.cs</c> beside it; running with
/// <c>ATTRIBUTEGAN_ACCEPT_SNAPSHOTS=1</c> writes the verified file instead and passes. Line ends compare as \n.
/// </summary>
public static class SnapshotAssert
{
    public const string AcceptVariable = "ATTRIBUTEGAN_ACCEPT_SNAPSHOTS";

    /// <summary>tests/AttributeGan.Generators.Tests/Snapshots in the source tree (not the build output).</summary>
    public static string SnapshotDirectory { get; } = FindSnapshotDirectory();

    public static void Matches(string actual, string name)
    {
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) throw new ArgumentException($"'{name}' cannot name a snapshot file", nameof(name));
        actual = Normalise(actual);
        string verified = Path.Combine(SnapshotDirectory, name + ".verified.cs");
        string received = Path.Combine(SnapshotDirectory, name + ".received.cs");

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(SnapshotDirectory);
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }

        bool exists = File.Exists(verified);
        if (exists && Normalise(File.ReadAllText(verified)) == actual)
        {
            File.Delete(received);
            return;
        }

        Directory.CreateDirectory(SnapshotDirectory);
        File.WriteAllText(received, actual);
        throw new XunitException(
            (exists ? $"The output differs from the snapshot {verified}." : $"There is no snapshot {verified} yet.") + "\n" +
            $"The output was written to {received}.\n" +
            (exists ? FirstDifference(Normalise(File.ReadAllText(verified)), actual) + "\n" : "") +
            $"Review it, then rename it to .verified.cs or run the tests with {AcceptVariable}=1.");
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string left = i < e.Length ? e[i] : "<end of file>", right = i < a.Length ? a[i] : "<end of file>";
            if (left != right) return $"First difference at line {i + 1}:\n  verified: {left}\n  received: {right}";
        }

        return "The texts differ only in line ends.";
    }

    private static string FindSnapshotDirectory()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "AttributeGan.sln")))
                return Path.Combine(directory.FullName, "tests", "AttributeGan.Generators.Tests", "Snapshots");

        throw new DirectoryNotFoundException("Could not find AttributeGan.sln above " + AppContext.BaseDirectory);
    }
}
