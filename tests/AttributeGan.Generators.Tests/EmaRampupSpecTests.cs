using System;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;
using static AttributeGan.Generators.Tests.DiagnosticAssert;
using static AttributeGan.Generators.Tests.SpecEdits;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// <c>training.ema.rampup</c>: bound into the emitted settings and the canonical spec when written, absent from both
/// when not (so specs without it keep their hash). Its diagnostics are cases of DiagnosticsTests.
/// </summary>
public class EmaRampupSpecTests
{
    private static GeneratorRun Compiles(SpecText spec)
    {
        var run = Produces(spec);
        Assert.Empty(run.CompileProblems.Select(d => d.ToString()));
        return run;
    }

    private static string Canonical(GeneratorRun run) => Regex.Unescape(Constant(run.Source("TinySpec.g.cs"), "CanonicalSpec").Trim('"'));

    [Fact]
    public void A_rampup_is_emitted_into_the_settings_and_the_canonical_spec()
    {
        var run = Compiles(Tiny(("every: 1 }", "every: 1, rampup: 0.05 }")));
        Assert.Contains("EmaSettings(Decay: 0.9, Start: 5, Every: 1, Rampup: 0.05)", run.Source("TinySpec.g.cs"), StringComparison.Ordinal);
        Assert.Contains("  ema: { decay: 0.9, start: 5, every: 1, rampup: 0.05 }\n", Canonical(run), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_rampup_or_with_null_the_spec_emits_and_hashes_as_before_the_key_existed()
    {
        var plain = Compiles(Tiny());
        Assert.Contains("EmaSettings(Decay: 0.9, Start: 5, Every: 1)", plain.Source("TinySpec.g.cs"), StringComparison.Ordinal);
        Assert.Contains("  ema: { decay: 0.9, start: 5, every: 1 }\n", Canonical(plain), StringComparison.Ordinal);

        var explicitNull = Compiles(Tiny(("every: 1 }", "every: 1, rampup: null }")));
        Assert.Equal(Constant(plain.Source("TinySpec.g.cs"), "SpecHash"), Constant(explicitNull.Source("TinySpec.g.cs"), "SpecHash"));
        var withRampup = Compiles(Tiny(("every: 1 }", "every: 1, rampup: 0.05 }")));
        Assert.NotEqual(Constant(plain.Source("TinySpec.g.cs"), "SpecHash"), Constant(withRampup.Source("TinySpec.g.cs"), "SpecHash"));
    }
}
