using System.Linq;
using Xunit;

namespace AttributeGan.Generators.Tests;

public class ShippedSpecTests
{
    [Fact]
    public void Every_shipped_spec_compiles_without_diagnostics_and_its_code_without_warnings()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpecs());

        Assert.Empty(run.GeneratorDiagnostics.Select(d => d.ToString()));
        Assert.Empty(run.CompileProblems.Select(d => d.ToString()));
        var hints = run.Result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
        foreach (var name in new[] { "AttributeGan512", "AttributeGan512NoAttention", "AttributeGan512NoContrastive", "AttributeGan256", "AttributeGan64", "AttributeGan64NoAttention", "AttributeGan64NoContrastive", "BigGan512", "BigGan64", "Tiny" })
        {
            Assert.Contains(name + "Spec.g.cs", hints);
            Assert.Contains(name + "Generator.g.cs", hints);
            Assert.Contains(name + "Discriminator.g.cs", hints);
        }

        Assert.Contains("ModelCatalog.g.cs", hints);
    }
}
