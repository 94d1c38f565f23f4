using System.Collections.Generic;
using System.Linq;
using static AttributeGan.Generators.Tests.DiagnosticAssert;
using static AttributeGan.Generators.Tests.SpecEdits;

namespace AttributeGan.Generators.Tests;

/// <summary>One scenario: the spec files of a run and every diagnostic it must report, nothing more.</summary>
public sealed record DiagnosticCase(string Name, IReadOnlyList<SpecText> Specs, IReadOnlyList<ExpectedDiagnostic> Expected);

/// <summary>
/// Every invalid-spec scenario: the valid tiny.yaml with one targeted edit and the diagnostics it must report.
/// DiagnosticsTests runs them; a new rule adds its cases here.
/// </summary>
internal static class DiagnosticCases
{
    private static DiagnosticCase Case(string name, SpecText spec, params ExpectedDiagnostic[] expected) => new(name, new[] { spec }, expected);

    private static DiagnosticCase Case(string name, SpecText[] specs, params ExpectedDiagnostic[] expected) => new(name, specs, expected);

    public static IEnumerable<DiagnosticCase> All()
    {
        SpecText s;
        s = Tiny("  mitosis: [rare, frequent]", " mitosis: [rare, frequent]");
        yield return Case("AGAN001 bad indentation", s, Expect("AGAN001", s.At(" |mitosis"), "YAML syntax error: While parsing a block mapping, did not find expected key"));
        s = Tiny("diff_augment: { policy: [colour, translation, cutout], probability: 0.5 }", "diff_augment: [10");
        yield return Case("AGAN001 flow list unclosed at the end", s, // reported where the content ends, at the end of the last line
            Expect("AGAN001", (s.At("[10").Line, s.At("[10").Column + 3), "YAML syntax error: While parsing a flow sequence, did not find expected ',' or ']'"));
        s = Tiny("seed: 7", "seed: 7\n---\nname: Other");
        yield return Case("AGAN001 second document", s, Expect("AGAN001", s.At("---"), "YAML syntax error: a spec file holds one YAML document; remove the second '---' section"));
        s = Tiny("latent: 16", "latent: *size");
        yield return Case("AGAN001 alias without anchor", s, Expect("AGAN001", s.At("*size"), "YAML syntax error: the alias *size names no anchor defined before it"));

        s = Tiny("resolution: 16, channels: 3", "resolutoin: 16, channels: 3");
        yield return Case("AGAN002 misspelt required key", s,
            Expect("AGAN002", s.At("resolutoin"), "Unknown key 'resolutoin' in 'image' (did you mean 'resolution'?); the keys allowed here are: resolution, channels"),
            Expect("AGAN004", s.At("image: |{"), "'image' needs the key 'resolution' (the image side in pixels)"));
        s = Tiny("learning_rate:", "learnig_rate:");
        yield return Case("AGAN002 misspelt optional key", s, Expect("AGAN002", s.At("learnig_rate"), "Unknown key 'learnig_rate' in 'training' (did you mean 'learning_rate'?); the keys allowed here are: batch, steps,"));
        s = Tiny("latent: 16", "latent: 16\ncolour: blue");
        yield return Case("AGAN002 unknown key without suggestion", s, Expect("AGAN002", s.At("colour"), "Unknown key 'colour' in the spec; the keys allowed here are: name, base, image,"));

        s = Tiny("latent: 16", "latent: sixteen");
        yield return Case("AGAN003 text for an integer", s, Expect("AGAN003", s.At("sixteen"), "'latent' must be an integer, but is 'sixteen'"));
        s = Tiny("generator:\n", "generator:\n  blur: \"yes\"\n");
        yield return Case("AGAN003 quoted text for a boolean", s, Expect("AGAN003", s.At("\"yes\""), "'generator.blur' must be true or false, but is the quoted text 'yes'"));

        s = Edit("crlf.yaml", TinyText.Replace("\n", "\r\n"), ("latent: 16", "latent: sixteen"));
        yield return Case("AGAN003 in a file with CRLF line ends", s, Expect("AGAN003", s.At("sixteen"), "'latent' must be an integer, but is 'sixteen'"));
        s = Tiny("latent: 16", "# 🧫 cells, 細胞\nlatent: 🧫sixteen");
        yield return Case("AGAN003 after characters outside the BMP", s, Expect("AGAN003", s.At("🧫sixteen"), "'latent' must be an integer, but is '🧫sixteen'"));

        s = Tiny("latent: 16\n", "");
        yield return Case("AGAN004 missing top-level key", s, Expect("AGAN004", s.At("name: Tiny"), "The spec needs the key 'latent' (the noise vector length, e.g. 256)"));
        s = Tiny("- { resolution: 4, channels: 32 }", "- { resolution: 4 }");
        yield return Case("AGAN004 stage without channels", s, Expect("AGAN004", s.At("- |{ resolution: 4 }"), "'discriminator.stages[1]' needs the key 'channels' (the stage's output channels)"));

        s = Tiny("latent: 16", "latent: 16\nlatent: 32");
        yield return Case("AGAN005 duplicate key", s, Expect("AGAN005", s.At("latent", 2), "The key 'latent' appears twice in the same mapping; keep one of them"));

        s = Tiny("size: 16", "size: 12");
        yield return Case("AGAN006 reconstruction size", s, Expect("AGAN006", s.At("size: |12"), "'discriminator.reconstruction.size' is 12, which is not a power of two; use 8 or 16"));
        s = Tiny("resolution: 16, channels: 3", "resolution: 24, channels: 3");
        yield return Case("AGAN006 image resolution, with both networks mismatched", s,
            Expect("AGAN006", s.At("24"), "'image.resolution' is 24, which is not a power of two; use 16 or 32"),
            Expect("AGAN009", s.At("resolution: |16, channels: 8"), "The last generator stage is 16, but the image resolution is 24; add stages up to the image resolution"),
            Expect("AGAN009", s.At("resolution: |8, channels: 16"), "The first discriminator stage is 8, but it must halve the 24×24 image; use 12"));

        s = Tiny("- { resolution: 8,  channels: 16 }", "- { resolution: 32, channels: 16 }");
        yield return Case("AGAN007 generator stage does not double", s,
            Expect("AGAN007", s.At("|32"), "Generator stage 1 has resolution 32, but each stage doubles the previous resolution (the initial block is 4×4); use 8"));
        s = Tiny("- { resolution: 4, channels: 32 }", "- { resolution: 4, channels: 32 }\n    - { resolution: 4, channels: 64 }");
        yield return Case("AGAN008 discriminator stage does not halve", s,
            Expect("AGAN008", s.At("|4, channels: 64"), "Discriminator stage 3 has resolution 4, but each stage halves the previous resolution (the stage before is 4); use 2"));

        s = Tiny("- { resolution: 16, channels: 8 }", "- { resolution: 16, channels: 8 }\n    - { resolution: 32, channels: 8 }");
        yield return Case("AGAN009 generator beyond the image", s,
            Expect("AGAN009", s.At("|32, channels: 8"), "The last generator stage is 32, but the image resolution is 16; remove stages above the image resolution"));
        s = Tiny("  input_channels: 8\n  stages:\n", "  input_channels: 8\n  stages:\n    - { resolution: 16, channels: 8 }\n");
        yield return Case("AGAN009 discriminator starts at the image size", s,
            Expect("AGAN009", s.At("resolution: |16, channels: 8", 2), "The first discriminator stage is 16, but it must halve the 16×16 image; use 8"));

        s = Tiny("attention: { at: [8], heads: 2, key_dim", "attention: { at: [32], heads: 2, key_dim");
        yield return Case("AGAN010 generator attention", s,
            Expect("AGAN010", s.At("|32]"), "generator attention at 32×32, but no generator stage has that resolution; the stage resolutions are 8, 16"));
        s = Tiny("attention: { at: [8], heads: 2, kind", "attention: { at: [16], heads: 2, kind");
        yield return Case("AGAN010 discriminator attention", s,
            Expect("AGAN010", s.At("[|16], heads: 2, kind"), "discriminator attention at 16×16, but no discriminator stage has that resolution; the stage resolutions are 8, 4"));

        s = Tiny("attention: { at: [8], heads: 2, kind", "attention: { at: [8], heads: 3, kind");
        yield return Case("AGAN011 heads do not divide channels", s,
            Expect("AGAN011", s.At("heads: |3"), "discriminator attention at 8×8 has 16 channels, which 3 heads do not divide; set 'key_dim' and 'value_dim', or use a head count that divides 16 (e.g. 2)"));

        s = Tiny("{ from: 8, to: 16 }", "{ from: 16, to: 8 }");
        yield return Case("AGAN012 skip link pointing down", s,
            Expect("AGAN012", s.At("{ from"), "Skip-layer excitation from 16 to 8 points downwards; 'from' must be a lower resolution than 'to' (swap them)"));
        s = Tiny("{ from: 8, to: 16 }", "{ from: 4, to: 16 }");
        yield return Case("AGAN013 skip link at a missing stage", s,
            Expect("AGAN013", s.At("from: |4"), "Skip-layer excitation 'from: 4' names a resolution no generator stage has; the stage resolutions are 8, 16"));

        s = Tiny("contrastive: { at: 8,", "contrastive: { at: 16,");
        yield return Case("AGAN014 contrastive head at a missing resolution", s,
            Expect("AGAN014", s.At("at: |16,"), "The contrastive head reads the 16×16 features, but no discriminator stage has that resolution; use one of 8, 4"));
        s = Tiny(WithClassifier("{ at: 16 }"));
        yield return Case("AGAN014 classifier head at a missing resolution", s,
            Expect("AGAN014", s.At("classifier: { at: |16"), "The classifier head reads the 16×16 features, but no discriminator stage has that resolution; use one of 8, 4"));
        s = Tiny(WithClassifier("{ at: 16 }"), ("contrastive: { at: 8,", "contrastive: { at: 32,"));
        yield return Case("AGAN014 both heads at missing resolutions", s,
            Expect("AGAN014", s.At("at: |32,"), "The contrastive head reads the 32×32 features, but no discriminator stage has that resolution; use one of 8, 4"),
            Expect("AGAN014", s.At("classifier: { at: |16"), "The classifier head reads the 16×16 features, but no discriminator stage has that resolution; use one of 8, 4"));

        s = Tiny("{ at: [4, 8], size: 16 }", "{ at: [4, 16], size: 16 }");
        yield return Case("AGAN015 reconstruction at a missing resolution", s,
            Expect("AGAN015", s.At("[4, |16]"), "Reconstruction reads the 16×16 features, but no discriminator stage has that resolution; use one of 8, 4"));
        s = Tiny("size: 16", "size: 32");
        yield return Case("AGAN015 reconstruction larger than the image", s,
            Expect("AGAN015", s.At("size: |32"), "Reconstruction size 32 is larger than the 16×16 image; use at most 16"));
        s = Tiny("size: 16", "size: 4");
        yield return Case("AGAN015 reconstruction not above its input", s,
            Expect("AGAN015", s.At("size: |4"), "Reconstruction size 4 does not exceed the 4×4 features it decodes; use at least 8"));

        s = Tiny("attributes:\n  cell_crowding: [normal, mild, severe]\n  mitosis: [rare, frequent]", "attributes: {}");
        yield return Case("AGAN016 no attributes", s, Expect("AGAN016", s.At("{}"), "'attributes' is empty; list at least one attribute with its levels"));
        s = Tiny("mitosis: [rare, frequent]", "mitosis: [rare]");
        yield return Case("AGAN016 one level", s,
            Expect("AGAN016", s.At("mitosis"), "The level list of 'mitosis' has only one level; an attribute needs at least two levels to be controlled"));
        s = Tiny("mitosis: [rare, frequent]", "mitosis: []");
        yield return Case("AGAN016 no levels", s, Expect("AGAN016", s.At("[]"), "The level list of 'mitosis' is empty; list its levels in order, lowest first"));
        s = Tiny("  stages:\n    - { resolution: 8, channels: 16 }\n    - { resolution: 4, channels: 32 }", "  stages: []");
        yield return Case("AGAN016 no discriminator stages", s, Expect("AGAN016", s.At("[]"), "'discriminator.stages' is empty; list at least one { resolution, channels } stage"));

        s = Tiny("{ at: [4, 8], size: 16 }", "{ at: [], size: 16 }");
        yield return Case("AGAN016 no reconstruction resolutions", s,
            Expect("AGAN016", s.At("[]"), "'discriminator.reconstruction.at' is empty; list the feature resolutions the decoders read, e.g. [8, 16]"));
        s = Tiny("{ at: [4, 8], size: 16 }", "{ at: null, size: 16 }");
        yield return Case("AGAN004 reconstruction at null", s,
            Expect("AGAN004", s.At("reconstruction: |{ at"), "'discriminator.reconstruction' needs the key 'at' (the feature resolutions the decoders read, e.g. [8, 16])"));

        s = Tiny("[normal, mild, severe]", "[normal, mild, normal]");
        yield return Case("AGAN017 duplicate level", s, Expect("AGAN017", s.At("normal", 2), "Attribute 'cell_crowding' lists the level 'normal' twice; each level name must be distinct"));

        s = Tiny("learning_rate: 2.0e-4", "learning_rate: .nan");
        yield return Case("AGAN018 NaN learning rate", s, Expect("AGAN018", s.At(".nan"), "'training.learning_rate' is NaN; it must be a finite number greater than 0"));
        s = Tiny("reconstruction: 1.0", "reconstruction: -1");
        yield return Case("AGAN018 negative loss weight", s, Expect("AGAN018", s.At("-1"), "'losses.reconstruction' is -1; it must be a finite number of at least 0 (0 switches the term off)"));
        s = Tiny("temperature: 0.1", "temperature: .inf");
        yield return Case("AGAN018 infinite temperature", s, Expect("AGAN018", s.At(".inf"), "'discriminator.contrastive.temperature' is Infinity; it must be a finite number greater than 0"));

        s = Tiny("betas: [0.5, 0.9]", "betas: [0.5, 1.0]");
        yield return Case("AGAN019 beta of one", s, Expect("AGAN019", s.At("1.0]"), "'training.betas[1]' is 1; it must be in [0, 1)"));
        const string rampupRange = "in (0, 1]: the average's half-life as a fraction of the steps trained, such as 0.05";
        s = Tiny("every: 1 }", "every: 1, rampup: 0 }");
        yield return Case("AGAN019 EMA ramp-up of zero", s, Expect("AGAN019", s.At("rampup: |0"), "'training.ema.rampup' is 0; it must be " + rampupRange));
        s = Tiny("every: 1 }", "every: 1, rampup: 1.5 }");
        yield return Case("AGAN019 EMA ramp-up above one", s, Expect("AGAN019", s.At("1.5"), "'training.ema.rampup' is 1.5; it must be " + rampupRange));
        s = Tiny("every: 1 }", "every: 1, rampup: .nan }");
        yield return Case("AGAN018 NaN EMA ramp-up", s, Expect("AGAN018", s.At(".nan"), "'training.ema.rampup' is NaN; it must be a finite number " + rampupRange));
        s = Tiny("every: 1 }", "every: 1, rampup: fast }");
        yield return Case("AGAN003 EMA ramp-up as text", s, Expect("AGAN003", s.At("rampup: |fast"), "'training.ema.rampup' must be a number, but is 'fast'"));
        s = Tiny("steps: 20", "steps: 99999999999999999999");
        yield return Case("AGAN019 integer beyond 64 bits", s, Expect("AGAN019", s.At("9999"), "'training.steps' is 99999999999999999999; it must be at least 1"));
        s = Tiny("checkpoint_every: 10", "checkpoint_every: 10\n  combination_percentile: 100");
        yield return Case("AGAN019 percentile of 100", s, Expect("AGAN019", s.At("100"), "'training.combination_percentile' is 100; it must be in [0, 100): 0 keeps every combination"));
        s = Tiny("- { resolution: 4, channels: 32 }", "- { resolution: 4, channels: 32 }\n    - { resolution: 2, channels: 32 }");
        yield return Case("AGAN019 discriminator ends below 4x4", s,
            Expect("AGAN019", s.At("resolution: |2"), "The last discriminator stage's resolution is 2; it must be at least 4, the size of the 4×4 patch-logit convolution"));

        s = Tiny("name: Tiny", "base: missing.yaml\nname: Tiny");
        yield return Case("AGAN020 base not found", s, Expect("AGAN020", s.At("missing.yaml"), "The base spec 'missing.yaml' was not found among the spec files; add it to the project's specs or fix the path (looked for "));
        var a = Tiny("name: Tiny", "base: cycle-b.yaml\nname: CycleA");
        var b = Edit("cycle-b.yaml", TinyText, ("name: Tiny", "base: cycle-a.yaml\nname: CycleB"));
        a = Edit("cycle-a.yaml", a.Text);
        yield return Case("AGAN021 cyclic base", new[] { a, b },
            Expect("AGAN021", a.At("cycle-b.yaml"), "The base chain loops: cycle-a.yaml → cycle-b.yaml → cycle-a.yaml; remove one of the 'base:' keys", "cycle-a.yaml"),
            Expect("AGAN021", b.At("cycle-a.yaml"), "The base chain loops: cycle-b.yaml → cycle-a.yaml → cycle-b.yaml; remove one of the 'base:' keys", "cycle-b.yaml"));
        a = Edit("one.yaml", TinyText);
        b = Edit("two.yaml", TinyText);
        yield return Case("AGAN022 duplicate model name", new[] { a, b },
            Expect("AGAN022", a.At("name: |Tiny"), "The model name 'Tiny' is also used by two.yaml; give each spec its own name", "one.yaml"),
            Expect("AGAN022", b.At("name: |Tiny"), "The model name 'Tiny' is also used by one.yaml; give each spec its own name", "two.yaml"));
        s = Tiny("name: Tiny", "name: tiny-model");
        yield return Case("AGAN023 model name with a dash", s,
            Expect("AGAN023", s.At("tiny-model"), "The model name 'tiny-model' cannot name C# types; use letters, digits and underscores, starting with a letter (e.g. 'TinyModel')"));

        s = Tiny("generator:\n", "generator:\n  norm: btach\n");
        yield return Case("AGAN024 misspelt choice", s, Expect("AGAN024", s.At("btach"), "'generator.norm' is 'btach', which is not one of: batch, local_batch, none (did you mean 'batch'?)"));
        s = Tiny("contrastive: { discriminator: 1.0, generator: 1.0 }", "contrastive: { discriminator: 1.0, generator: 1.0, negatives: local }");
        yield return Case("AGAN024 unknown contrastive negatives", s,
            Expect("AGAN024", s.At("local }"), "'losses.contrastive.negatives' is 'local', which is not one of: global_batch, local_batch"));

        s = Tiny("latent: 16", "latent: " + new string('[', 70) + "16" + new string(']', 70));
        yield return Case("AGAN025 nesting deeper than 64", s,
            Expect("AGAN025", (s.At("latent: [").Line, "latent: ".Length + 64), "The spec file is too large to read: nesting deeper than 64 levels; a spec is a few hundred lines"));
        s = Tiny("latent: 16", "latent: 16\n" + AliasBomb);
        yield return Case("AGAN025 alias expansion bomb", s,
            Expect("AGAN025", s.At("*d", 4), "The spec file is too large to read: more than 50,000 values once aliases are expanded"));
        s = Tiny("latent: 16", "latent: 16\n" + string.Concat(Enumerable.Repeat("# padding padding padding padding padding padding padding padding\n", 16_000)));
        yield return Case("AGAN025 file larger than a million characters", s, Expect("AGAN025", (1, 1), "characters, more than the 1,000,000 a spec may have"));

        s = GeneratorHarness.InMemory("empty.yaml", "");
        yield return Case("AGAN026 empty file", s, Expect("AGAN026", (1, 1), "The spec file is empty; start it with 'name:'"));
        s = GeneratorHarness.InMemory("comment.yaml", "# nothing yet\n\n");
        yield return Case("AGAN026 comment only", s, Expect("AGAN026", (1, 1), "The spec file is empty"));

        s = Tiny("mitosis:", "CellCrowding:");
        yield return Case("AGAN027 attributes with the same C# name", s,
            Expect("AGAN027", s.At("CellCrowding"), "The attribute 'CellCrowding' becomes the C# name 'CellCrowding', which the attribute 'cell_crowding' also becomes; rename it"));
        s = Tiny("mitosis:", "training:");
        yield return Case("AGAN027 attribute named like a spec member", s,
            Expect("AGAN027", s.At("  |training: [rare"), "The attribute 'training' becomes the C# name 'Training', which the generated spec class already uses; rename it"));
        s = Tiny("[normal, mild, severe]", "[normal, mild, Mild]");
        yield return Case("AGAN027 levels with the same C# name", s,
            Expect("AGAN027", s.At("Mild"), "The level 'Mild' becomes the C# name 'Mild', which the level 'mild' also becomes; rename it"));

        s = Tiny("mitosis:", "image_resolution:");
        yield return Case("AGAN027 attribute named like a constant of the spec class", s,
            Expect("AGAN027", s.At("image_resolution"), "The attribute 'image_resolution' becomes the C# name 'ImageResolution', which the generated spec class already uses; rename it"));
        s = Tiny("mitosis:", "encode:");
        yield return Case("AGAN027 attribute named like a member of Combination", s,
            Expect("AGAN027", s.At("encode"), "The attribute 'encode' becomes the C# name 'Encode', which the generated spec class already uses; rename it"));

        s = Tiny("[normal, mild, severe]", "[normal, mild, 1+]");
        yield return Case("AGAN028 level that is no identifier", s,
            Expect("AGAN028", s.At("1+"), "The level '1+' cannot become a C# identifier; use letters, digits and underscores, starting with a letter"));

        s = Tiny("attention: { at: [8], heads: 2, kind", "attention: { at: [8, 8], heads: 2, kind");
        yield return Case("AGAN029 attention resolution twice", s, Expect("AGAN029", s.At("[8, |8]"), "'discriminator.attention.at' lists 8 twice; remove the repetition"));
        s = Tiny("    - { from: 8, to: 16 }", "    - { from: 8, to: 16 }\n    - { from: 8, to: 16 }");
        yield return Case("AGAN029 skip link twice", s, Expect("AGAN029", s.At("{ from", 2), "'generator.skip_excitation' lists { from: 8, to: 16 } twice; remove the repetition"));

        s = Tiny("  reconstruction: { at: [4, 8], size: 16 }\n", "");
        yield return Case("AGAN030 reconstruction weight without decoder", s,
            Expect("AGAN030", s.At("reconstruction: |1.0"), "losses: reconstruction has weight 1, but the discriminator has no reconstruction head; add 'discriminator.reconstruction' or set the weight to 0"));
        s = Tiny("  contrastive: { at: 8, dim: 16, temperature: 0.1 }\n", "");
        yield return Case("AGAN030 contrastive weights without head", s,
            Expect("AGAN030", s.At("discriminator: |1.0"), "losses: contrastive.discriminator has weight 1, but the discriminator has no contrastive head"),
            Expect("AGAN030", s.At("generator: |1.0"), "losses: contrastive.generator has weight 1, but the discriminator has no contrastive head"));
        s = Tiny(WithClassification("{ discriminator: 1.0, generator: 0.5 }"));
        yield return Case("AGAN030 classification weights without classifier", s,
            Expect("AGAN030", s.At("classification: { discriminator: |1.0"), "losses: classification.discriminator has weight 1, but the discriminator has no classifier head; add 'discriminator.classifier' or set the weight to 0"),
            Expect("AGAN030", s.At("generator: |0.5"), "losses: classification.generator has weight 0.5, but the discriminator has no classifier head; add 'discriminator.classifier' or set the weight to 0"));
        s = Tiny(WithClassification("{ generator: 2 }"));
        yield return Case("AGAN030 classification generator weight alone without classifier", s, // the discriminator's weight defaults to 0 without the head
            Expect("AGAN030", s.At("generator: |2 }"), "losses: classification.generator has weight 2, but the discriminator has no classifier head"));
        s = Tiny(WithClassification("0.25"));
        yield return Case("AGAN030 scalar classification weight without classifier", s, // one number is both weights, both reported at it
            Expect("AGAN030", s.At("classification: |0.25"), "losses: classification.discriminator has weight 0.25, but the discriminator has no classifier head"),
            Expect("AGAN030", s.At("classification: |0.25"), "losses: classification.generator has weight 0.25, but the discriminator has no classifier head"));

        s = GeneratorHarness.InMemory("huge.yaml", HugeSpec);
        yield return Case("AGAN031 multiply-accumulates overflow a long", s,
            Expect("AGAN031", s.At("Huge"), "The model 'Huge' is too large to count: a parameter or multiply-accumulate count overflows a 64-bit integer; reduce channels or resolution"));

        a = Edit("broken-base.yaml", TinyText, ("  mitosis:", " mitosis:"), ("name: Tiny", "name: BrokenBase"));
        b = GeneratorHarness.InMemory("child.yaml", "base: broken-base.yaml\nname: Child\n");
        yield return Case("AGAN032 base with a syntax error", new[] { a, b },
            Expect("AGAN001", a.At(" |mitosis"), "YAML syntax error: ", "broken-base.yaml"),
            Expect("AGAN032", b.At("broken-base.yaml"), "The base spec 'broken-base.yaml' has errors; fix them first, this spec inherits from it", "child.yaml"));

        s = Tiny("reconstruction: 1.0", "reconstruction: 0");
        yield return Case("AGAN033 reconstruction head weighted 0", s,
            Expect("AGAN033", s.At("reconstruction: |{"), "The discriminator has a reconstruction head, but losses: reconstruction weights it 0 everywhere; remove the head or give it a weight"));
        s = Tiny("contrastive: { discriminator: 1.0, generator: 1.0 }", "contrastive: 0");
        yield return Case("AGAN033 contrastive head weighted 0", s,
            Expect("AGAN033", s.At("contrastive: |{ at"), "The discriminator has a contrastive head, but losses: contrastive weights it 0 everywhere"));
        s = Tiny(WithClassifier("{ at: 8 }"), WithClassification("0"));
        yield return Case("AGAN033 classifier weighted 0", s,
            Expect("AGAN033", s.At("classifier: |{ at: 8 }"), "The discriminator has a classifier head, but losses: classification weights it 0 everywhere; remove the head or give it a weight"));
        s = Tiny(WithClassifier("{}"), WithClassification("{ discriminator: 0, generator: 0.0 }"));
        yield return Case("AGAN033 classifier weighted 0 per network", s,
            Expect("AGAN033", s.At("classifier: |{}"), "The discriminator has a classifier head, but losses: classification weights it 0 everywhere"));

        s = Tiny("  projection: projection\n", "  projection: gate\n");
        yield return Case("AGAN035 projection pooling with a gate", s,
            Expect("AGAN035", s.At("sum"), "'discriminator.projection_pooling' has no effect with 'projection: gate'; it pools the features of 'projection: projection'; remove it or use that projection"));

        s = Tiny("minibatch_std: 4", "minibatch_std: 3");
        yield return Case("AGAN019 minibatch std group that does not divide the batch", s,
            Expect("AGAN019", s.At("minibatch_std: |3"), "'discriminator.minibatch_std' is 3; it must be a divisor of training.batch (8), so every group is whole, e.g. 2"));
        s = Tiny(("  batch: 8", "  batch: 7"));
        yield return Case("AGAN019 minibatch std group with a prime batch suggests the whole batch", s,
            Expect("AGAN019", s.At("minibatch_std: |4"), "'discriminator.minibatch_std' is 4; it must be a divisor of training.batch (7), so every group is whole, e.g. 7"));
        s = Tiny("minibatch_std: 4", "minibatch_std: 1");
        yield return Case("AGAN019 minibatch std group of one", s,
            Expect("AGAN019", s.At("minibatch_std: |1"), "'discriminator.minibatch_std' is 1; it must be 0 (off) or a group size of at least 2"));

        s = Tiny("gradient_penalty: { kind: r1, weight: 1.0, every: 2 }", "gradient_penalty: { kind: r2, weight: 10 }");
        yield return Case("AGAN024 unknown gradient penalty", s,
            Expect("AGAN024", s.At("r2"), "'losses.gradient_penalty.kind' is 'r2', which is not one of: r1, one_centred (did you mean 'r1'?)"));

        s = Tiny("kind: dot_product", "kind: dot");
        yield return Case("AGAN024 unknown attention kind", s,
            Expect("AGAN024", s.At("kind: |dot"), "'discriminator.attention.kind' is 'dot', which is not one of: efficient, dot_product"));

        s = Tiny("gradient_penalty: { kind: r1, weight: 1.0, every: 2 }", "gradient_penalty: { weight: -5 }");
        yield return Case("AGAN018 negative gradient penalty", s,
            Expect("AGAN018", s.At("-5"), "'losses.gradient_penalty.weight' is -5; it must be a finite number of at least 0 (0 switches the term off)"));
        s = Tiny(WithClassifier("{ at: 8 }"), WithClassification("{ discriminator: 1.0, generator: -0.5 }"));
        yield return Case("AGAN018 negative classification weight", s,
            Expect("AGAN018", s.At("-0.5"), "'losses.classification.generator' is -0.5; it must be a finite number of at least 0 (0 switches the term off)"));
        s = Tiny(WithClassifier("{ at: 8 }"), WithClassification(".nan"));
        yield return Case("AGAN018 NaN scalar classification weight", s,
            Expect("AGAN018", s.At(".nan"), "'losses.classification.discriminator' is NaN; it must be a finite number of at least 0"),
            Expect("AGAN018", s.At(".nan"), "'losses.classification.generator' is NaN; it must be a finite number of at least 0"));
        s = Tiny(WithClassifier("{ at: 8 }"), WithClassification("{ discriminator: .inf }"));
        yield return Case("AGAN018 infinite classification weight", s,
            Expect("AGAN018", s.At(".inf"), "'losses.classification.discriminator' is Infinity; it must be a finite number of at least 0"));
        s = Tiny(WithClassifier("{ att: 8 }"));
        yield return Case("AGAN002 misspelt classifier key", s,
            Expect("AGAN002", s.At("att: 8"), "Unknown key 'att' in 'discriminator.classifier' (did you mean 'at'?); the keys allowed here are: at"));
        s = Tiny(WithClassifier("{ at: 8 }"), WithClassification("{ discriminatr: 1.0 }"));
        yield return Case("AGAN002 misspelt classification key", s,
            Expect("AGAN002", s.At("discriminatr"), "Unknown key 'discriminatr' in 'losses.classification' (did you mean 'discriminator'?); the keys allowed here are: discriminator, generator"));
        s = Tiny(WithClassifier("8"));
        yield return Case("AGAN003 classifier written as a number", s,
            Expect("AGAN003", s.At("classifier: |8"), "'discriminator.classifier' must be a mapping of keys"));
        s = Tiny(WithClassifier("{ at: eight }"));
        yield return Case("AGAN003 classifier resolution as text", s,
            Expect("AGAN003", s.At("eight"), "'discriminator.classifier.at' must be an integer, but is 'eight'"));
        s = Tiny(WithClassifier("{ at: 8 }"), WithClassification("[1.0, 1.0]"));
        yield return Case("AGAN003 classification weights as a list", s,
            Expect("AGAN003", s.At("[1.0, 1.0]"), "'losses.classification' must be a mapping of keys"));
        s = Tiny(WithClassifier("{ at: 0 }"));
        yield return Case("AGAN019 classifier resolution 0", s,
            Expect("AGAN019", s.At("at: |0"), "'discriminator.classifier.at' is 0; it must be between 1 and 16384"));
        s = Tiny("gradient_penalty: { kind: r1, weight: 1.0, every: 2 }", "gradient_penalty: { every: 0 }");
        yield return Case("AGAN019 gradient penalty every 0 steps", s,
            Expect("AGAN019", s.At("every: |0"), "'losses.gradient_penalty.every' is 0; it must be at least 1"));
        s = Tiny("diff_augment: { policy: [colour, translation, cutout], probability: 0.5 }", "diff_augment: { policy: [colour, cutuot, colour], probability: 0.5 }");
        yield return Case("AGAN024 and AGAN029 in diff_augment", s,
            Expect("AGAN024", s.At("cutuot"), "'training.diff_augment.policy[1]' is 'cutuot', which is not one of: colour, translation, cutout (did you mean 'cutout'?)"),
            Expect("AGAN029", s.At("colour", 2), "'training.diff_augment.policy' lists colour twice; remove the repetition"));
        s = Tiny("diff_augment: { policy: [colour, translation, cutout], probability: 0.5 }", "diff_augment: { policy: [], probability: 1.5 }");
        yield return Case("AGAN016 and AGAN019 empty diff_augment policy and probability above 1", s,
            Expect("AGAN019", s.At("1.5"), "'training.diff_augment.probability' is 1.5; it must be a probability in [0, 1]"),
            Expect("AGAN016", s.At("[]"), "'training.diff_augment.policy' is empty; list at least one of colour, translation, cutout, or remove 'diff_augment'"));

        // BigGAN's blocks: settings the residual blocks do not use are named, not silently dropped.
        s = Tiny("  noise_injection: true\n", "  noise_injection: true\n  block: resnet\n");
        yield return Case("AGAN024 unknown generator block", s,
            Expect("AGAN024", s.At("resnet"), "'generator.block' is 'resnet', which is not one of: glu, residual"));
        s = Tiny("  noise_injection: true\n", "  noise_injection: true\n  spectral_norm: true  # generator\n");
        yield return Case("AGAN035 generator spectral norm with GLU blocks", s,
            Expect("AGAN035", s.At("spectral_norm: |true  # generator"), "'generator.spectral_norm' has no effect with 'block: glu'; spectral normalisation of the generator is built for BigGAN's residual blocks; remove it or use 'block: residual'"));
        s = Tiny("  noise_injection: true\n", "  noise_injection: true\n  block: residual\n  blur: true\n");
        yield return Case("AGAN035 blur and attribute channels with a residual generator", s,
            Expect("AGAN035", s.At("attribute_channels: |8"), "'generator.initial.attribute_channels' has no effect with 'block: residual'; the attributes enter through every residual block's conditional batch norm, not the initial block; remove it"),
            Expect("AGAN035", s.At("blur: |true"), "'generator.blur: true' has no effect with 'block: residual'; residual blocks up-sample by nearest neighbour, as BigGAN; remove it"));
        s = Tiny("  minibatch_std: 4\n", "  minibatch_std: 4\n  block: residual\n");
        yield return Case("AGAN035 minibatch std with a residual discriminator", s,
            Expect("AGAN035", s.At("minibatch_std: |4"), "'discriminator.minibatch_std' has no effect with 'block: residual'; the spread channel is part of the patch-logit head of 'block: strided'; remove it or use that block"));
        s = Tiny("  minibatch_std: 4\n", "  block: residul\n");
        yield return Case("AGAN024 residual discriminator block misspelt", s,
            Expect("AGAN024", s.At("residul"), "'discriminator.block' is 'residul', which is not one of: strided, residual (did you mean 'residual'?)"));
    }

    /// <summary>The tiny.yaml edit that adds <c>classifier: &lt;value&gt;</c> to the discriminator, after its reconstruction head.</summary>
    private static (string Old, string New) WithClassifier(string value) =>
        ("  reconstruction: { at: [4, 8], size: 16 }\n", $"  reconstruction: {{ at: [4, 8], size: 16 }}\n  classifier: {value}\n");

    /// <summary>The tiny.yaml edit that adds <c>classification: &lt;value&gt;</c> to the losses, after the contrastive weights.</summary>
    private static (string Old, string New) WithClassification(string value) =>
        ("  contrastive: { discriminator: 1.0, generator: 1.0 }\n", $"  contrastive: {{ discriminator: 1.0, generator: 1.0 }}\n  classification: {value}\n");

    /// <summary>Five levels of ten aliases each: 10^5 values once expanded, from a few hundred characters.</summary>
    private static readonly string AliasBomb = string.Join("\n", new[]
    {
        "bomb_a: &a [x, x, x, x, x, x, x, x, x, x]",
        "bomb_b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]",
        "bomb_c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]",
        "bomb_d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]",
        "bomb_e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]",
        "bomb_f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]",
    });

    /// <summary>
    /// Within every limit of the binder (channels ≤ 65,536, resolution ≤ 16,384), yet the 16,384² stage's
    /// multiply-accumulates, 131,072 · 2 · 65,536 · 9 · 16,384² ≈ 4.2e19, overflow a long (9.2e18).
    /// </summary>
    private const string HugeSpec = """
        name: Huge
        image: { resolution: 16384, channels: 3 }
        latent: 16
        attributes:
          crowding: [normal, mild, severe]
        generator:
          initial: { resolution: 8192, channels: 65536, attribute_channels: 65536 }
          stages:
            - { resolution: 16384, channels: 65536 }
        discriminator:
          input_channels: 8
          stages:
            - { resolution: 8192, channels: 16 }
        """;
}
