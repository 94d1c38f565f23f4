using AttributeGan.Evaluation.Metrics;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Metrics;

/// <summary>The layout diversity's rows: images area-averaged to 16×16, and what the ratio says of them.</summary>
public sealed class LayoutDiversityTests
{
    [Fact]
    public void Images_up_to_16_pixels_are_their_own_rows_and_larger_ones_are_area_averaged()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var small = rand(2, 3, 16, 16, dtype: ScalarType.Float64);
        Assert.Equal(0.0, (LayoutDiversity.Features(small) - small.reshape(2, -1)).abs().max().item<double>());

        var large = rand(2, 3, 64, 64, dtype: ScalarType.Float64);
        var rows = LayoutDiversity.Features(large);
        Assert.Equal(new long[] { 2, 3 * 16 * 16 }, rows.shape);
        // Row 1, channel 2, pixel (5, 7) of the reduced image is the mean of the 4×4 block at (20, 28) of the large one.
        double expected = large[1, 2, TensorIndex.Slice(20, 24), TensorIndex.Slice(28, 32)].mean().item<double>();
        Assert.Equal(expected, rows[1, 2 * 16 * 16 + 5 * 16 + 7].item<double>(), 12);
    }

    [Fact]
    public void Images_that_share_their_layout_read_near_zero_however_strong_their_grain()
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        // The reference: four combinations of six 64×64 images, each a layout of its own (bright and dark 8×8 blocks at random).
        var layouts = nn.functional.interpolate(rand(24, 3, 8, 8, dtype: ScalarType.Float64).round(), new long[] { 64, 64 }, mode: InterpolationMode.Nearest);
        var groups = new int[24];
        for (int i = 0; i < 24; i++) groups[i] = i / 6;
        var reference = LayoutDiversity.Features(layouts);

        // A generator that ignores its noise: per combination one layout, with per-pixel grain (σ 0.15, as strong as the
        // real data's spread) that differs from image to image. In full-resolution pixels it would read ≈ 0.3.
        var oneLayout = layouts.index_select(0, tensor(new long[] { 0, 0, 0, 0, 0, 0, 6, 6, 6, 6, 6, 6, 12, 12, 12, 12, 12, 12, 18, 18, 18, 18, 18, 18 }));
        var grained = oneLayout + 0.15 * randn_like(oneLayout);
        Assert.InRange(FeatureDiversity.Ratio(grained.flatten(1), groups, layouts.flatten(1), groups)!.Value, 0.2, 0.5);
        Assert.InRange(FeatureDiversity.Ratio(LayoutDiversity.Features(grained), groups, reference, groups)!.Value, 0.0, 0.1);

        // One whose layouts vary as the reference's do: other layouts drawn the same way.
        var varied = nn.functional.interpolate(rand(24, 3, 8, 8, dtype: ScalarType.Float64).round(), new long[] { 64, 64 }, mode: InterpolationMode.Nearest);
        Assert.InRange(FeatureDiversity.Ratio(LayoutDiversity.Features(varied), groups, reference, groups)!.Value, 0.9, 1.1);
    }
}
