using System;
using System.IO;
using System.Linq;
using Xunit;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// The emitted C# of every shipped spec and the model catalogue, held against reviewed snapshots in Snapshots/.
/// After an intended change to the emitters: run once with ATTRIBUTEGAN_ACCEPT_SNAPSHOTS=1 and review the diff.
/// </summary>
public class SnapshotTests
{
    private static readonly Lazy<GeneratorRun> Shipped = new(() => GeneratorHarness.Run(GeneratorHarness.ShippedSpecs(), GeneratorHarness.TestNamespace));

    private static readonly string[] ModelNames = { "AttributeGan256", "AttributeGan512", "AttributeGan512NoAttention", "AttributeGan512NoContrastive", "AttributeGan64", "AttributeGan64NoAttention", "AttributeGan64NoContrastive", "BigGan512", "BigGan64", "Tiny" };

    public static TheoryData<string> Models => new(ModelNames);

    [Theory]
    [MemberData(nameof(Models))]
    public void Shipped_spec(string model)
    {
        var run = Shipped.Value;
        Assert.Empty(run.GeneratorDiagnostics);
        SnapshotAssert.Matches(run.SpecSources(model), "ShippedSpec_" + model);
    }

    /// <summary>
    /// Specs that exercise an optional part of the language no shipped spec uses, snapshotted like the shipped ones: the
    /// auxiliary attribute classifier on a strided discriminator (read below its last stage) and on a residual one
    /// (read at the default, the activated last map).
    /// </summary>
    private static readonly Lazy<GeneratorRun> Unshipped = new(() => GeneratorHarness.Run(new[]
    {
        GeneratorHarness.InMemory("tiny-classifier.yaml", """
            name: TinyClassifier
            image: { resolution: 16, channels: 3 }
            latent: 16
            attributes:
              cell_crowding: [normal, mild, severe]
              mitosis: [rare, frequent]
            generator:
              initial: { resolution: 4, channels: 16, attribute_channels: 8 }
              stages:
                - { resolution: 8, channels: 16 }
                - { resolution: 16, channels: 8 }
            discriminator:
              input_channels: 8
              stages:
                - { resolution: 8, channels: 16 }
                - { resolution: 4, channels: 32 }
              classifier: { at: 8 }
            losses:
              classification: { discriminator: 1.0, generator: 0.5 }
            training: { batch: 8, steps: 20 }

            """),
        GeneratorHarness.InMemory("tiny-residual-classifier.yaml", """
            base: tiny-classifier.yaml
            name: TinyResidualClassifier
            discriminator:
              block: residual
              spectral_norm: true
              classifier: { at: null }
            losses:
              classification: null

            """),
    }, GeneratorHarness.TestNamespace));

    [Theory]
    [InlineData("TinyClassifier")]
    [InlineData("TinyResidualClassifier")]
    public void Unshipped_spec(string model)
    {
        var run = Unshipped.Value;
        Assert.Empty(run.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(run.CompileProblems.Select(d => d.ToString()));
        SnapshotAssert.Matches(run.SpecSources(model), "UnshippedSpec_" + model);
    }

    [Fact]
    public void Model_catalog() => SnapshotAssert.Matches(Shipped.Value.Source("ModelCatalog.g.cs"), "ModelCatalog");

    [Fact]
    public void Every_shipped_spec_has_a_snapshot_row()
    {
        var emitted = Shipped.Value.Result.Results.Single().GeneratedSources
            .Select(s => s.HintName)
            .Where(h => h.EndsWith("Spec.g.cs", StringComparison.Ordinal))
            .Select(h => h.Substring(0, h.Length - "Spec.g.cs".Length))
            .OrderBy(n => n, StringComparer.Ordinal);
        Assert.Equal(emitted, ModelNames.OrderBy(n => n, StringComparer.Ordinal));
        Assert.Equal(GeneratorHarness.ShippedSpecs().Count, emitted.Count());
    }

    [Fact]
    public void A_missing_or_different_snapshot_fails_and_writes_the_received_file()
    {
        if (Environment.GetEnvironmentVariable(SnapshotAssert.AcceptVariable) == "1") return; // accepting: this check does not apply
        string name = "SelfTest_" + Guid.NewGuid().ToString("N");
        string verified = Path.Combine(SnapshotAssert.SnapshotDirectory, name + ".verified.cs");
        string received = Path.Combine(SnapshotAssert.SnapshotDirectory, name + ".received.cs");
        try
        {
            var missing = Assert.ThrowsAny<Exception>(() => SnapshotAssert.Matches("class A { }\n", name));
            Assert.Contains(verified, missing.Message, StringComparison.Ordinal);
            Assert.Contains(received, missing.Message, StringComparison.Ordinal);
            Assert.Equal("class A { }\n", File.ReadAllText(received));

            File.WriteAllText(verified, "class A { }\r\n");
            SnapshotAssert.Matches("class A { }\n", name); // line ends do not count; a match removes the received file
            Assert.False(File.Exists(received));

            var different = Assert.ThrowsAny<Exception>(() => SnapshotAssert.Matches("class B { }\n", name));
            Assert.Contains("First difference at line 1", different.Message, StringComparison.Ordinal);
            Assert.Equal("class A { }\r\n", File.ReadAllText(verified));
        }
        finally
        {
            File.Delete(verified);
            File.Delete(received);
        }
    }
}
