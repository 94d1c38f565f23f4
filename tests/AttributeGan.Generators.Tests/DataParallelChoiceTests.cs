using System;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using static AttributeGan.Generators.Tests.DiagnosticAssert;
using static AttributeGan.Generators.Tests.SpecEdits;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// The spec keys for data-parallel training: <c>generator.norm: local_batch</c> (per-process batch statistics) and
/// <c>losses.contrastive.negatives</c> (global or local negatives). Each accepted value binds and emits code that
/// compiles; a bad value is AGAN024 at the value; the shipped specs keep their hash.
/// </summary>
public class DataParallelChoiceTests
{
    private const string Blocks = "global::AttributeGan.Models.Blocks.NormKind.";
    private const string Negatives = "global::AttributeGan.Models.ContrastiveNegatives.";

    [Theory]
    [InlineData("batch", "Batch")]
    [InlineData("local_batch", "LocalBatch")]
    [InlineData("none", "None")]
    public void Every_norm_choice_binds_and_its_generator_compiles(string spelling, string member)
    {
        var spec = Tiny("generator:\n", $"generator:\n  norm: {spelling}\n");
        var run = Produces(spec);
        Assert.Empty(run.CompileProblems.Select(d => d.ToString()));

        var generator = run.Source("TinyGenerator.g.cs");
        Assert.Contains($"InitialBlock(latent: 16, attributeWidth: 5, noiseChannels: 16, attributeChannels: 8, resolution: 4, norm: {Blocks}{member})", generator, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Matches(generator, Regex.Escape($"UpBlock(") + "[^;]*" + Regex.Escape(Blocks + member + ")")).Count);
        Assert.Contains($"norm: {spelling}\\n", run.Source("TinySpec.g.cs"), StringComparison.Ordinal);
    }

    [Fact]
    public void Local_batch_norm_has_the_parameters_of_batch_norm_and_its_own_hash()
    {
        var batch = GeneratorHarness.Run(new[] { Tiny("generator:\n", "generator:\n  norm: batch\n") }).Source("TinySpec.g.cs");
        var local = GeneratorHarness.Run(new[] { Tiny("generator:\n", "generator:\n  norm: local_batch\n") }).Source("TinySpec.g.cs");

        Assert.Equal(Constant(batch, "GeneratorParameterCount"), Constant(local, "GeneratorParameterCount"));
        Assert.NotEqual(Constant(batch, "SpecHash"), Constant(local, "SpecHash"));
    }

    [Theory]
    [InlineData("contrastive: { discriminator: 1.0, generator: 1.0 }", "GlobalBatch")]
    [InlineData("contrastive: { discriminator: 1.0, generator: 1.0, negatives: global_batch }", "GlobalBatch")]
    [InlineData("contrastive: { discriminator: 1.0, generator: 1.0, negatives: local_batch }", "LocalBatch")]
    [InlineData("contrastive: { negatives: local_batch }", "LocalBatch")]
    [InlineData("contrastive: 0.5", "GlobalBatch")]
    [InlineData("contrastive: { discriminator: 1.0, generator: 1.0, negatives: null }", "GlobalBatch")]
    public void Every_negatives_choice_binds_and_its_spec_class_compiles(string losses, string member)
    {
        var spec = Tiny("contrastive: { discriminator: 1.0, generator: 1.0 }", losses);
        var run = Produces(spec);
        Assert.Empty(run.CompileProblems.Select(d => d.ToString()));
        Assert.Matches(Regex.Escape($"ContrastiveNegatives: {Negatives}{member}") + "[,)]", run.Source("TinySpec.g.cs"));
    }

    [Fact]
    public void Writing_the_default_negatives_keeps_the_hash_and_local_negatives_change_it()
    {
        string Hash(string losses) => Constant(
            GeneratorHarness.Run(new[] { Tiny("contrastive: { discriminator: 1.0, generator: 1.0 }", losses) }).Source("TinySpec.g.cs"), "SpecHash");

        var unwritten = Hash("contrastive: { discriminator: 1.0, generator: 1.0 }");
        Assert.Equal(unwritten, Hash("contrastive: { discriminator: 1.0, generator: 1.0, negatives: global_batch }"));
        Assert.NotEqual(unwritten, Hash("contrastive: { discriminator: 1.0, generator: 1.0, negatives: local_batch }"));
    }

    [Fact]
    public void The_shipped_tiny_spec_keeps_the_hash_it_had_before_these_keys_existed()
    {
        // Run directories and checkpoints refuse a spec whose hash changed: new keys at their defaults must not change it.
        // Tiny without the keys added since (noise injection, projection pooling, spectral norm, minibatch std, gradient penalty,
        // DiffAugment, the attention kind) is the Tiny spec of before, and must hash as it did.
        var withoutNewKeys = string.Join("\n", TinyText.Split('\n').Where(line => !Regex.IsMatch(line,
            @"^\s*(noise_injection|projection_pooling|spectral_norm|minibatch_std|gradient_penalty|diff_augment):"))).Replace(", kind: dot_product", "");
        var tiny = GeneratorHarness.Run(new[] { new SpecText("tiny.yaml", withoutNewKeys) });
        Assert.Equal("\"d009ee1fe761b5a6\"", Constant(tiny.Source("TinySpec.g.cs"), "SpecHash"));
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpecs());
        Assert.Equal("\"6465bb0add7032ee\"", Constant(run.Source("AttributeGan512Spec.g.cs"), "SpecHash"));
    }

    [Fact]
    public void An_unknown_negatives_value_is_AGAN024_at_the_value_listing_the_choices()
    {
        var spec = Tiny("contrastive: { discriminator: 1.0, generator: 1.0 }", "contrastive: { discriminator: 1.0, generator: 1.0, negatives: globl_batch }");
        Produces(spec, Expect("AGAN024", spec.At("globl_batch"),
            "'losses.contrastive.negatives' is 'globl_batch', which is not one of: global_batch, local_batch (did you mean 'global_batch'?)"));
    }

    [Fact]
    public void An_unknown_negatives_value_on_its_own_line_is_reported_at_that_line()
    {
        var spec = Tiny("  contrastive: { discriminator: 1.0, generator: 1.0 }\n",
            "  contrastive:\n    discriminator: 1.0\n    generator: 1.0\n    negatives: all\n");
        var at = spec.At("negatives: |all");
        Assert.Equal(spec.At("negatives").Line, at.Line);
        Assert.Equal(16, at.Column);
        Produces(spec, Expect("AGAN024", at, "'losses.contrastive.negatives' is 'all', which is not one of: global_batch, local_batch"));
    }

    [Fact]
    public void A_negatives_value_of_the_wrong_type_is_AGAN003_naming_the_choices()
    {
        var spec = Tiny("contrastive: { discriminator: 1.0, generator: 1.0 }", "contrastive: { discriminator: 1.0, generator: 1.0, negatives: [local_batch] }");
        Produces(spec, Expect("AGAN003", spec.At("[local_batch]"), "'losses.contrastive.negatives' must be one of global_batch, local_batch"));
    }

    [Fact]
    public void A_misspelt_local_batch_norm_suggests_it()
    {
        var spec = Tiny("generator:\n", "generator:\n  norm: local-batch\n");
        Produces(spec, Expect("AGAN024", spec.At("local-batch"),
            "'generator.norm' is 'local-batch', which is not one of: batch, local_batch, none (did you mean 'local_batch'?)"));
    }
}
