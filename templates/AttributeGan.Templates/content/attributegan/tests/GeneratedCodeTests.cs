using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using AttributeGanApp.Specs;
using Xunit;

namespace AttributeGanApp.Tests;

/// <summary>
/// The code the build generated from each spec (obj/generated), held against reviewed snapshots in Snapshots/: a spec
/// edit or a new generator version shows up here as a diff. After an intended change, review the .received.cs files
/// and accept them with ATTRIBUTEGAN_ACCEPT_SNAPSHOTS=1.
/// </summary>
public class GeneratedCodeTests
{
    private static readonly string GeneratedDirectory = Setting("GeneratedCodeDirectory");
    private static readonly string SnapshotDirectory = Setting("SnapshotDirectory");

    public static TheoryData<string> Models => new(ModelCatalog.All.Select(s => s.Name));

    [Theory]
    [MemberData(nameof(Models))]
    public void Each_spec_generates_its_snapshot(string model)
    {
        var text = new StringBuilder();
        foreach (var part in new[] { "Spec", "Generator", "Discriminator" })
        {
            string hint = model + part + ".g.cs";
            if (text.Length > 0) text.Append('\n');
            text.Append("// ==== ").Append(hint).Append(" ====\n").Append(Generated(hint));
        }

        SnapshotAssert.Matches(text.ToString(), model, SnapshotDirectory);
    }

    [Fact]
    public void The_model_catalogue_matches_its_snapshot() => SnapshotAssert.Matches(Generated("ModelCatalog.g.cs"), "ModelCatalog", SnapshotDirectory);

    [Fact]
    public void Every_snapshot_belongs_to_a_compiled_spec()
    {
        var snapshots = Directory.GetFiles(SnapshotDirectory, "*.verified.cs")
            .Select(p => Path.GetFileName(p)[..^".verified.cs".Length])
            .Where(n => n != "ModelCatalog")
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(ModelCatalog.All.Select(s => s.Name).OrderBy(n => n, StringComparer.Ordinal), snapshots);
    }

    private static string Generated(string hint)
    {
        string path = Path.Combine(GeneratedDirectory, hint);
        Assert.True(File.Exists(path), $"{path} is missing: build the models project (it writes its generated code to obj/generated).");
        return File.ReadAllText(path);
    }

    private static string Setting(string key) =>
        typeof(GeneratedCodeTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"The test project sets no {key}.");
}
