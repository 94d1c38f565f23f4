using System;
using System.Linq;
using System.Reflection;
using AttributeGan.Generators.Model;
using AttributeGan.Generators.Planning;
using TorchSharp;
using Xunit;

namespace AttributeGan.Generators.Tests;

/// <summary>
/// The block catalogue is the compiler's only knowledge of the blocks' signatures: every entry is held here against
/// the real type in AttributeGan.Models.Blocks, so a renamed, added or reordered constructor or forward parameter
/// fails this test rather than the generated code of some spec that happens to use it.
/// </summary>
public class BlockCatalogTests
{
    public static TheoryData<string> Kinds() => new(BlockCatalog.All.Select(k => k.Type));

    private static BlockKind Kind(string type) => BlockCatalog.All.Single(k => k.Type == type);

    private static Type BlockType(string type) =>
        typeof(AttributeGan.Models.Blocks.UpBlock).Assembly.GetType("AttributeGan.Models.Blocks." + type)
        ?? throw new InvalidOperationException($"no block type {type}");

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_entry_names_the_constructor_parameters_of_its_block_in_order(string type)
    {
        var constructors = BlockType(type).GetConstructors(BindingFlags.Public | BindingFlags.Instance);

        var constructor = Assert.Single(constructors);
        Assert.Equal(constructor.GetParameters().Select(p => p.Name), Kind(type).Parameters);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void An_entry_names_the_tensor_inputs_of_its_blocks_forward_in_order(string type)
    {
        var forward = BlockType(type).GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly).Single(m => m.Name == "forward");

        Assert.All(forward.GetParameters(), p => Assert.Equal(typeof(torch.Tensor), p.ParameterType));
        Assert.Equal(forward.GetParameters().Select(p => p.Name), Kind(type).Inputs);
    }

    [Fact]
    public void Every_block_a_spec_can_build_has_one_entry()
    {
        var declared = typeof(BlockCatalog).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(BlockKind)).Select(f => (BlockKind)f.GetValue(null)!);

        Assert.Equal(declared.Select(k => k.Type).OrderBy(t => t), BlockCatalog.All.Select(k => k.Type).OrderBy(t => t));
        Assert.Equal(BlockCatalog.All.Count, BlockCatalog.All.Select(k => k.Type).Distinct().Count());
    }

    [Fact]
    public void A_node_with_an_argument_the_entry_does_not_declare_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BlockCatalog.UpBlock.Layer("stage8", Wire.Declare("x8", "x4"), [("channels", 3L)], [3, 8, 8], 0, 0));

        Assert.Contains("UpBlock has no constructor parameter 'channels'", error.Message);
    }

    [Fact]
    public void A_node_wired_to_the_wrong_number_of_inputs_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BlockCatalog.SkipLayerExcitation.Layer("excite8to32", Wire.Assign("x32", "x32"), [("lowChannels", 4L), ("highChannels", 4L)], [4, 32, 32], 0, 0));

        Assert.Contains("SkipLayerExcitation.forward takes 2 tensor(s), the plan passes 1", error.Message);
    }

    [Fact]
    public void Heads_that_run_only_on_request_have_their_own_roles()
    {
        Assert.Equal(LayerRole.Contrastive, BlockCatalog.ContrastiveHead.Role);
        Assert.Equal(LayerRole.Contrastive, BlockCatalog.AttributeEmbedding.Role);
        Assert.Equal(LayerRole.Reconstruction, BlockCatalog.ReconstructionDecoder.Role);
        Assert.Equal(LayerRole.Classifier, BlockCatalog.AttributeClassifierHead.Role);
        Assert.All(BlockCatalog.All.Except([BlockCatalog.ContrastiveHead, BlockCatalog.AttributeEmbedding, BlockCatalog.ReconstructionDecoder, BlockCatalog.AttributeClassifierHead]),
            k => Assert.Contains(k.Role, new[] { LayerRole.Trunk, LayerRole.Conditioning }));
    }

    [Fact]
    public void The_compilers_roles_mirror_the_roles_the_emitted_layer_tables_name()
    {
        // The spec class writes `LayerRole.<role>` of AttributeGan.Models for every layer: the two enums must agree by name and value.
        Assert.Equal(Enum.GetNames<AttributeGan.Models.LayerRole>(), Enum.GetNames<LayerRole>());
        Assert.Equal(Enum.GetValues<AttributeGan.Models.LayerRole>().Select(r => (int)r), Enum.GetValues<LayerRole>().Select(r => (int)r));
    }
}
