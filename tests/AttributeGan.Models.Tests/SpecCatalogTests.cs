using System;
using System.Linq;
using AttributeGan.Models.Specs;
using Xunit;

namespace AttributeGan.Models.Tests;

/// <summary>The catalogue programs pass to the runtime and the command line instead of one static list of specs.</summary>
public class SpecCatalogTests
{
    [Fact]
    public void The_shipped_catalogue_is_the_generated_list_with_the_paper_model_as_default()
    {
        Assert.Equal(ModelCatalog.All, SpecCatalog.Shipped);
        Assert.Same(AttributeGan512Spec.Instance, SpecCatalog.Shipped.Default);
        Assert.Same(TinySpec.Instance, SpecCatalog.Shipped.Find("TINY"));
        Assert.Null(SpecCatalog.Shipped.Find("Nope"));
        Assert.StartsWith("AttributeGan256, AttributeGan512, ", SpecCatalog.Shipped.Names, StringComparison.Ordinal);
    }

    [Fact]
    public void A_catalogue_of_some_specs_knows_only_those_and_defaults_to_the_first()
    {
        var catalog = new SpecCatalog(new IGanSpec[] { TinySpec.Instance, AttributeGan64Spec.Instance });
        Assert.Same(TinySpec.Instance, catalog.Default);
        Assert.Equal(2, catalog.Count);
        Assert.Same(AttributeGan64Spec.Instance, catalog[1]);
        Assert.Null(catalog.Find("AttributeGan512"));
        Assert.Equal("Tiny, AttributeGan64", catalog.Names);
    }

    [Fact]
    public void With_appends_specs_and_keeps_the_default()
    {
        var combined = new SpecCatalog(new IGanSpec[] { TinySpec.Instance }).With(new IGanSpec[] { AttributeGan64Spec.Instance });
        Assert.Equal(new IGanSpec[] { TinySpec.Instance, AttributeGan64Spec.Instance }, combined.ToArray());
        Assert.Same(TinySpec.Instance, combined.Default);
    }

    [Fact]
    public void Two_specs_of_one_name_are_refused_naming_both_files()
    {
        var error = Assert.Throws<ArgumentException>(() => SpecCatalog.Shipped.With(new IGanSpec[] { TinySpec.Instance }));
        Assert.Contains("'Tiny'", error.Message, StringComparison.Ordinal);
        Assert.Contains("tiny.yaml, tiny.yaml", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_catalogue_or_a_foreign_default_is_refused_with_the_fix()
    {
        var empty = Assert.Throws<ArgumentException>(() => new SpecCatalog(Array.Empty<IGanSpec>()));
        Assert.Contains("specs/", empty.Message, StringComparison.Ordinal);
        var foreign = Assert.Throws<ArgumentException>(() => new SpecCatalog(new IGanSpec[] { TinySpec.Instance }, AttributeGan64Spec.Instance));
        Assert.Contains("AttributeGan64", foreign.Message, StringComparison.Ordinal);
    }
}
