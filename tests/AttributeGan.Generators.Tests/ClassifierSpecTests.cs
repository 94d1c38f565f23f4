using System;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using static AttributeGan.Generators.Tests.DiagnosticAssert;
using static AttributeGan.Generators.Tests.SpecEdits;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// The auxiliary attribute classifier (AC-GAN): <c>discriminator.classifier</c> and <c>losses.classification</c>. How
/// the keys bind (the scalar weight, the defaults, the default resolution), what the head reads and costs, and that a
/// spec without it emits and hashes exactly as before the keys existed. Its diagnostics are cases of DiagnosticsTests.
/// </summary>
public class ClassifierSpecTests
{
    private const string Reconstruction = "  reconstruction: { at: [4, 8], size: 16 }\n";
    private const string Contrastive = "  contrastive: { discriminator: 1.0, generator: 1.0 }\n";

    /// <summary>tiny.yaml with <c>discriminator.classifier</c> and, unless null, <c>losses.classification</c> added.</summary>
    private static SpecText WithClassifier(string classifier, string? classification = null, params (string Old, string New)[] more)
    {
        var edits = more.Prepend((Reconstruction, Reconstruction + $"  classifier: {classifier}\n"));
        if (classification is not null) edits = edits.Append((Contrastive, Contrastive + $"  classification: {classification}\n"));
        return Tiny(edits.ToArray());
    }

    /// <summary>Runs the spec, requires no diagnostic and code that compiles without a warning, and returns the run.</summary>
    private static GeneratorRun Compiles(SpecText spec)
    {
        var run = Produces(spec);
        Assert.Empty(run.CompileProblems.Select(d => d.ToString()));
        return run;
    }

    private static string Hash(GeneratorRun run) => Constant(run.Source("TinySpec.g.cs"), "SpecHash");

    private static string Canonical(GeneratorRun run) => Regex.Unescape(Constant(run.Source("TinySpec.g.cs"), "CanonicalSpec").Trim('"'));

    [Fact]
    public void A_scalar_classification_weight_weights_both_networks()
    {
        var scalar = Compiles(WithClassifier("{ at: 8 }", "0.5"));
        var spec = scalar.Source("TinySpec.g.cs");
        AssertWeights(spec, "0.5", "0.5");
        Assert.Contains("  classification: { discriminator: 0.5, generator: 0.5 }\n", Canonical(scalar), StringComparison.Ordinal);

        var mapping = Compiles(WithClassifier("{ at: 8 }", "{ discriminator: 0.5, generator: 0.5 }"));
        Assert.Equal(Hash(scalar), Hash(mapping));
    }

    [Fact]
    public void With_the_head_both_weights_default_to_1_and_a_partial_mapping_keeps_the_other_default()
    {
        var unwritten = Compiles(WithClassifier("{ at: 8 }"));
        AssertWeights(unwritten.Source("TinySpec.g.cs"), "1.0", "1.0");
        Assert.Contains("  classification: { discriminator: 1, generator: 1 }\n", Canonical(unwritten), StringComparison.Ordinal);
        Assert.Equal(Hash(unwritten), Hash(Compiles(WithClassifier("{ at: 8 }", "1.0"))));
        Assert.Equal(Hash(unwritten), Hash(Compiles(WithClassifier("{ at: 8 }", "null"))));

        var partial = Compiles(WithClassifier("{ at: 8 }", "{ generator: 0.25 }"));
        AssertWeights(partial.Source("TinySpec.g.cs"), "1.0", "0.25");

        // No losses: block at all: every head's weight is 1.
        int start = TinyText.IndexOf("losses:\n", StringComparison.Ordinal), end = TinyText.IndexOf("training:\n", StringComparison.Ordinal);
        var noLosses = Compiles(WithClassifier("{ at: 8 }", null, (TinyText.Substring(start, end - start), "")));
        AssertWeights(noLosses.Source("TinySpec.g.cs"), "1.0", "1.0");
    }

    [Fact]
    public void An_omitted_resolution_is_the_last_discriminator_stage()
    {
        var omitted = Compiles(WithClassifier("{}"));
        Assert.Contains("ClassifierResolution: 4);", omitted.Source("TinySpec.g.cs"), StringComparison.Ordinal);
        Assert.Contains("  classifier: { at: 4 }\n", Canonical(omitted), StringComparison.Ordinal);
        Assert.Contains("attributeLogits = classifier.call(x4);", omitted.Source("TinyDiscriminator.g.cs"), StringComparison.Ordinal);
        Assert.Equal(Hash(omitted), Hash(Compiles(WithClassifier("{ at: 4 }"))));
        Assert.Equal(Hash(omitted), Hash(Compiles(WithClassifier("{ at: null }"))));
        Assert.NotEqual(Hash(omitted), Hash(Compiles(WithClassifier("{ at: 8 }"))));
    }

    [Theory]
    [InlineData(4, 32)]
    [InlineData(8, 16)]
    public void The_head_has_C_times_A_plus_A_parameters_and_one_logit_per_level(int at, int channels)
    {
        const int width = 5; // cell_crowding's 3 levels and mitosis's 2, side by side
        var without = Compiles(Tiny());
        var with = Compiles(WithClassifier($"{{ at: {at} }}"));

        long added = long.Parse(Constant(with.Source("TinySpec.g.cs"), "DiscriminatorParameterCount").TrimEnd('L'))
                     - long.Parse(Constant(without.Source("TinySpec.g.cs"), "DiscriminatorParameterCount").TrimEnd('L'));
        Assert.Equal(channels * width + width, added);
        Assert.Contains(
            $"new global::AttributeGan.Models.LayerShape(Name: \"classifier\", Kind: \"AttributeClassifierHead\", Role: global::AttributeGan.Models.LayerRole.Classifier, OutputShape: new long[] {{ {width} }}, Parameters: {channels * width + width}L, MacsPerImage: {channels * width}L),",
            with.Source("TinySpec.g.cs"), StringComparison.Ordinal);
        // Tiny's discriminator is spectrally normalised: so is the classifier's linear map.
        Assert.Contains($"new global::AttributeGan.Models.Blocks.AttributeClassifierHead(channels: {channels}, attributeWidth: {width}, spectralNorm: true)",
            with.Source("TinyDiscriminator.g.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}", "features")]
    [InlineData("{ at: 4 }", "features")]
    [InlineData("{ at: 8 }", "x8")]
    public void A_residual_discriminator_classifier_at_the_last_stage_reads_the_activated_features(string classifier, string input)
    {
        var run = Compiles(WithClassifier(classifier, null, ("  minibatch_std: 4\n", "  block: residual\n")));
        Assert.Contains($"attributeLogits = classifier.call({input});", run.Source("TinyDiscriminator.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_classifier_runs_only_when_asked_for_and_its_logits_are_returned()
    {
        var discriminator = Compiles(WithClassifier("{ at: 8 }")).Source("TinyDiscriminator.g.cs");
        var declared = discriminator.IndexOf("attributeLogits = null;", StringComparison.Ordinal);
        var guarded = discriminator.IndexOf("if (heads.Classifier)", StringComparison.Ordinal);
        var called = discriminator.IndexOf("attributeLogits = classifier.call(x8);", StringComparison.Ordinal);
        Assert.True(declared >= 0 && declared < guarded && guarded < called, discriminator);
        Assert.Contains(", reconstructions, attributeLogits?.MoveToOuterDisposeScope());", discriminator, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_without_the_head_emits_and_hashes_as_before_the_keys_existed()
    {
        var tiny = Compiles(Tiny());
        foreach (var spec in new[] { WithClassifier("null"), WithClassifier(""), WithClassifier("null", "0"), WithClassifier("null", "{ discriminator: 0, generator: 0 }") })
        {
            var run = Compiles(spec);
            Assert.Equal(Hash(tiny), Hash(run));
            Assert.DoesNotContain("classif", Canonical(run), StringComparison.Ordinal);
            foreach (var part in new[] { "Spec", "Generator", "Discriminator" })
                Assert.Equal(tiny.Source($"Tiny{part}.g.cs"), run.Source($"Tiny{part}.g.cs"));
        }

        Assert.DoesNotContain("Classif", tiny.Source("TinySpec.g.cs"), StringComparison.Ordinal);
        Assert.DoesNotContain("attributeLogits", tiny.Source("TinyDiscriminator.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void A_delta_can_add_and_remove_the_head()
    {
        var tiny = Edit("tiny.yaml", TinyText);
        var added = GeneratorHarness.InMemory("with.yaml", "base: tiny.yaml\nname: WithClassifier\ndiscriminator:\n  classifier: {}\nlosses:\n  classification: { generator: 0.5 }\n");
        var run = Produces(new[] { tiny, added });
        Assert.Empty(run.CompileProblems.Select(d => d.ToString()));
        var spec = run.Source("WithClassifierSpec.g.cs");
        Assert.Contains("ClassifierResolution: 4);", spec, StringComparison.Ordinal);
        AssertWeights(spec, "1.0", "0.5");

        var removed = GeneratorHarness.InMemory("without.yaml", "base: with.yaml\nname: WithoutClassifier\ndiscriminator:\n  classifier: null\n");
        var both = GeneratorHarness.Run(new[] { tiny, added, removed });
        // The delta keeps the base's generator weight of 0.5: the head it removed is still asked for.
        Produces(new[] { tiny, added, removed },
            Expect("AGAN030", added.At("generator: |0.5"), "losses: classification.generator has weight 0.5, but the discriminator has no classifier head", "with.yaml"));
        Assert.DoesNotContain(both.Result.Results.Single().GeneratedSources, s => s.HintName.StartsWith("WithoutClassifier", StringComparison.Ordinal));
    }

    /// <summary>The spec class's loss settings end with the two classification weights, as written.</summary>
    private static void AssertWeights(string specSource, string discriminator, string generator) =>
        Assert.Matches($@"\bClassificationDiscriminator: {Regex.Escape(discriminator)},\s*ClassificationGenerator: {Regex.Escape(generator)}\);", specSource);
}
