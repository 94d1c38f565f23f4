using System.Linq;
using AttributeGan.Generators.Validation;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// An attribute's PascalCase name becomes a nested enum of the spec class and a property of its Combination record, so
/// it must not be a name either already uses. The validator keeps those names in a list; this holds the list against
/// what the emitter actually writes (and what the records and object bring), so a member added to the spec class
/// without its name in the list fails here, not in a user's build.
/// </summary>
public class ReservedNamesTests
{
    [Fact]
    public void Every_member_name_of_a_generated_spec_class_is_reserved_for_attributes()
    {
        var run = GeneratorHarness.Run(GeneratorHarness.ShippedSpecs());
        var spec = run.OutputCompilation.GetTypeByMetadataName(GeneratorHarness.TestNamespace + ".TinySpec")!;
        var attributeTypes = new[] { "CellCrowding", "Mitosis" }; // Tiny's attributes: the names the spec gives
        var combination = spec.GetTypeMembers("Combination").Single();

        var used = spec.GetMembers().Concat(combination.GetMembers())
            .Concat(spec.BaseType!.GetMembers()) // object's ToString, Equals, GetHashCode, GetType …
            .Where(m => m.CanBeReferencedByName && m.DeclaredAccessibility is Accessibility.Public or Accessibility.Protected)
            .Select(m => m.Name)
            .Distinct()
            .Except(attributeTypes)
            .ToList();

        Assert.NotEmpty(used);
        Assert.Empty(used.Except(SpecValidator.ReservedSpecMembers));
    }
}
