using System;
using System.IO;
using Xunit.Sdk;

namespace AttributeGanApp.Tests;

/// <summary>
/// Verify's convention: <c>&lt;name&gt;.verified.cs</c> is committed and reviewed in diffs. A missing or different
/// snapshot fails and writes <c>&lt;name&gt;.received.cs</c> beside it; running with
/// <c>ATTRIBUTEGAN_ACCEPT_SNAPSHOTS=1</c> writes the verified file instead and passes. Line ends compare as \n.
/// </summary>
public static class SnapshotAssert
{
    public const string AcceptVariable = "ATTRIBUTEGAN_ACCEPT_SNAPSHOTS";

    /// <param name="actual">The text to hold against the snapshot.</param>
    /// <param name="name">The snapshot's name: the file is <paramref name="directory"/>/<c>name.verified.cs</c>.</param>
    /// <param name="directory">The snapshot folder in the source tree (not the build output).</param>
    public static void Matches(string actual, string name, string directory)
    {
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0) throw new ArgumentException($"'{name}' cannot name a snapshot file", nameof(name));
        actual = Normalise(actual);
        string verified = Path.Combine(directory, name + ".verified.cs");
        string received = Path.Combine(directory, name + ".received.cs");

        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
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

        Directory.CreateDirectory(directory);
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
}
