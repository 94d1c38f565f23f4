using System.Linq;
using Xunit;
using static AttributeGan.Generators.Tests.DiagnosticAssert;
using static AttributeGan.Generators.Tests.SpecEdits;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// Bugs the fuzz and diagnostics tests once found, each pinned down: an unclosed flow collection (YamlDotNet throws
/// InvalidOperationException, aaubry/YamlDotNet#541), an error at the end of a file without a final line break
/// (YamlDotNet's mark names a line past the end), a base whose values do not bind (its children used to repeat its
/// errors), a spec that inherits its base's name (the clash used to land twice in the base file), and a GLU generator
/// whose spectral_norm, reported as without effect, still reached its attention and excitation layers.
/// </summary>
public class RegressionTests
{
    [Fact]
    public void An_unclosed_flow_mapping_followed_by_more_lines_is_a_syntax_error_near_it()
    {
        var spec = Tiny("channels: 3 }", "channels: 3");
        var diagnostic = Assert.Single(GeneratorHarness.Run(new[] { spec }).GeneratorDiagnostics);
        Assert.Equal("AGAN001", diagnostic.Id);
        Assert.Equal(spec.At("image: {").Line, diagnostic.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void A_syntax_error_at_the_end_of_a_file_without_a_final_line_break_points_into_the_last_line()
    {
        var spec = Edit("tiny.yaml", TinyText.TrimEnd('\n'), ("diff_augment: { policy: [colour, translation, cutout], probability: 0.5 }", "diff_augment: [10"));
        Produces(spec, Expect("AGAN001", (spec.At("[10").Line, spec.At("[10").Column + 3), "While parsing a flow sequence, did not find expected ',' or ']'"));
    }

    [Fact]
    public void A_base_whose_values_do_not_bind_is_reported_once_and_its_children_get_AGAN032()
    {
        var bad = Edit("bad-base.yaml", TinyText, ("latent: 16", "latent: sixteen"), ("name: Tiny", "name: BadBase"));
        var child = GeneratorHarness.InMemory("child.yaml", "base: bad-base.yaml\nname: Child\n");
        Produces(new[] { bad, child },
            Expect("AGAN003", bad.At("sixteen"), "'latent' must be an integer, but is 'sixteen'", "bad-base.yaml"),
            Expect("AGAN032", child.At("bad-base.yaml"), "The base spec 'bad-base.yaml' has errors", "child.yaml"));
    }

    [Fact]
    public void A_GLU_generator_asked_for_spectral_norm_is_built_without_it_as_its_warning_says()
    {
        var spec = Tiny("  noise_injection: true\n", "  noise_injection: true\n  spectral_norm: true\n");
        var run = GeneratorHarness.Run(new[] { spec });
        Assert.Equal("AGAN035", Assert.Single(run.GeneratorDiagnostics).Id);
        string generator = run.Source("TinyGenerator.g.cs");
        Assert.Contains("new global::AttributeGan.Models.Blocks.UpBlock(", generator, System.StringComparison.Ordinal);
        Assert.DoesNotContain("spectralNorm: true", generator, System.StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_that_inherits_its_base_name_is_told_so_in_its_own_file()
    {
        var tiny = Edit("tiny.yaml", TinyText);
        var child = GeneratorHarness.InMemory("child.yaml", "base: tiny.yaml\nlatent: 32\n");
        var diagnostics = GeneratorHarness.Run(new[] { tiny, child }).GeneratorDiagnostics;
        Assert.All(diagnostics, d => Assert.Equal("AGAN022", d.Id));
        Assert.Single(diagnostics, d => d.Location.GetLineSpan().Path == tiny.Path && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("also used by child.yaml"));
        Assert.Single(diagnostics, d => d.Location.GetLineSpan().Path == child.Path && d.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Contains("also used by tiny.yaml"));
        Assert.Equal(2, diagnostics.Count());
    }
}
