using System;
using System.Collections.Generic;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Sampling;
using TorchSharp;
using Xunit;
using static AttributeGan.Runtime.Tests.Sampling.SamplingTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Sampling;

public class AttributeGridTests
{
    private static readonly TinySpec Spec = TinySpec.Instance;          // cell_crowding: normal, mild, severe; mitosis: rare, frequent

    [Fact]
    public void A_grid_has_one_row_per_level_and_one_column_per_noise()
    {
        using var generator = TinyGenerator();

        using var grid = AttributeGridSampler.Sample(generator, Spec, "cell_crowding", new[] { 0, 1 }, columns: 4, seed: 5, CPU);

        Assert.Equal(new long[] { 3 * 4, 3, 16, 16 }, grid.Images.shape);
        Assert.Equal(new[] { "normal", "mild", "severe" }, grid.RowLabels);
        Assert.Equal((3, 4), (grid.Rows, grid.Columns));
        Assert.Contains("mitosis = frequent", grid.Description);
        Assert.Contains("seed 5", grid.Description);
        Assert.True(grid.Images.min().item<float>() >= -1f && grid.Images.max().item<float>() <= 1f);
    }

    [Fact]
    public void The_same_seed_gives_the_same_grid_and_another_seed_does_not()
    {
        using var generator = TinyGenerator(seed: 1);
        using var again = TinyGenerator(seed: 1);

        using var first = AttributeGridSampler.Sample(generator, Spec, "cell_crowding", new[] { 0, 0 }, 3, seed: 11, CPU);
        using var second = AttributeGridSampler.Sample(generator, Spec, "cell_crowding", new[] { 0, 0 }, 3, seed: 11, CPU);
        using var rebuilt = AttributeGridSampler.Sample(again, Spec, "cell_crowding", new[] { 0, 0 }, 3, seed: 11, CPU);
        using var other = AttributeGridSampler.Sample(generator, Spec, "cell_crowding", new[] { 0, 0 }, 3, seed: 12, CPU);

        Assert.True(Identical(first.Images, second.Images));
        Assert.True(Identical(first.Images, rebuilt.Images));
        Assert.False(first.Images.allclose(other.Images));
    }

    [Fact]
    public void Noise_is_shared_down_each_column_and_differs_between_columns()
    {
        using var generator = new NoiseEchoGenerator();

        using var grid = AttributeGridSampler.Sample(generator, Spec, "cell_crowding", new[] { 2, 1 }, columns: 5, seed: 3, CPU);

        for (int row = 1; row < grid.Rows; row++)
            for (int column = 0; column < grid.Columns; column++)
                Assert.True(Identical(grid.At(0, column), grid.At(row, column)), $"row {row} column {column} has other noise than row 0");
        for (int column = 1; column < grid.Columns; column++)
            Assert.False(grid.At(0, 0).allclose(grid.At(0, column)));

        // Row r asked for crowding level r with mitosis fixed at its base level (frequent), whatever crowding's base was.
        Assert.Equal(15, generator.AttributeRows.Count);
        for (int image = 0; image < 15; image++)
        {
            int level = image / 5;
            var expected = new float[] { level == 0 ? 1 : 0, level == 1 ? 1 : 0, level == 2 ? 1 : 0, 0, 1 };
            Assert.Equal(expected, generator.AttributeRows[image]);
        }
    }

    [Fact]
    public void The_real_generator_responds_to_the_varied_attribute()
    {
        using var generator = TinyGenerator();

        using var grid = AttributeGridSampler.Sample(generator, Spec, "mitosis", new[] { 1, 0 }, 2, seed: 2, CPU);

        Assert.Equal(new[] { "rare", "frequent" }, grid.RowLabels);
        Assert.False(grid.At(0, 0).allclose(grid.At(1, 0)));
    }

    [Fact]
    public void Noise_comes_from_its_own_seeded_generator_and_leaves_the_global_one_alone()
    {
        torch.manual_seed(9);
        using var expected = rand(4);
        torch.manual_seed(9);
        using var a = GeneratorBatches.Noise(16, 3, seed: 4);
        using var b = GeneratorBatches.Noise(16, 3, seed: 4);
        using var afterwards = rand(4);

        Assert.Equal(new long[] { 3, 16 }, a.shape);
        Assert.True(Identical(a, b));
        Assert.True(Identical(expected, afterwards));
    }

    [Fact]
    public void Chunked_forward_passes_match_one_big_batch_and_restore_training_mode()
    {
        using var generator = TinyGenerator();
        generator.train();
        using var noise = GeneratorBatches.Noise(Spec.LatentSize, 5, seed: 8);
        var rows = new[] { Spec.Attributes.Encode(new[] { 0, 0 }), Spec.Attributes.Encode(new[] { 2, 1 }) };

        using var whole = GeneratorBatches.Generate(generator, noise, rows, CPU);
        using var chunked = GeneratorBatches.Generate(generator, noise, rows, CPU, maxBatch: 3);

        Assert.True(generator.training);
        Assert.True(whole.allclose(chunked, rtol: 0, atol: 1e-6));

        using var echo = new NoiseEchoGenerator();
        using var _ = GeneratorBatches.Generate(echo, noise, rows, CPU, maxBatch: 4);
        Assert.Equal(new long[] { 4, 4, 2 }, echo.BatchSizes);
    }

    [Fact]
    public void Unknown_attributes_and_bad_base_levels_are_reported_with_the_valid_choices()
    {
        using var generator = new NoiseEchoGenerator();

        var attribute = Assert.Throws<ArgumentException>(() => AttributeGridSampler.Sample(generator, Spec, "polarity", new[] { 0, 0 }, 2, 1, CPU));
        var count = Assert.Throws<ArgumentException>(() => AttributeGridSampler.Sample(generator, Spec, "cell_crowding", new[] { 0 }, 2, 1, CPU));
        var range = Assert.Throws<ArgumentException>(() => AttributeGridSampler.Sample(generator, Spec, "cell_crowding", new[] { 0, 2 }, 2, 1, CPU));

        Assert.Contains("cell_crowding, mitosis", attribute.Message);
        Assert.Contains("cell_crowding, mitosis", count.Message);
        Assert.Contains("rare, frequent", range.Message);
    }

    [Fact]
    public void Base_levels_can_be_given_by_name()
    {
        var levels = AttributeGridSampler.BaseLevels(Spec, new Dictionary<string, string> { ["mitosis"] = "frequent" });

        Assert.Equal(new[] { 0, 1 }, levels);
        Assert.Throws<ArgumentException>(() => AttributeGridSampler.BaseLevels(Spec, new Dictionary<string, string> { ["mitosis"] = "often" }));
        Assert.Equal(new[] { 0, 0 }, AttributeGridSampler.BaseLevels(Spec));
    }

    [Fact]
    public void Unnamed_attributes_take_the_runs_frequent_levels_so_sample_draws_the_training_grids()
    {
        var frequent = new[] { 2, 0 };                                                   // severe crowding, rare mitosis

        Assert.Equal(frequent, AttributeGridSampler.BaseLevels(Spec, null, frequent));
        Assert.Equal(new[] { 2, 1 }, AttributeGridSampler.BaseLevels(Spec, new Dictionary<string, string> { ["mitosis"] = "frequent" }, frequent));
        Assert.Throws<ArgumentException>(() => AttributeGridSampler.BaseLevels(Spec, null, new[] { 3, 0 }));
    }
}
