using System;
using System.Linq;
using AttributeGan.Runtime.Data;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Data;

public class AugmentationTests
{
    private static Tensor Images() =>
        stack(Enumerable.Range(0, 4).Select(i => tensor(SyntheticTissue.Draw(new TissueIntensities(0.5, 0.5, 0.5, 0.5, 0.5), 32, (ulong)i).ToChw(), new long[] { 3, 32, 32 })));

    [Fact]
    public void Every_option_keeps_shape_dtype_and_range_and_leaves_the_input_alone()
    {
        using var scope = NewDisposeScope();
        var images = Images();
        var before = images.clone();
        var options = AugmentationOptions.DiffAugment with { CropProbability = 1 };

        var result = Augmentation.Apply(images, options, new SeededRandom(1));

        Assert.Equal(images.shape, result.shape);
        Assert.Equal(ScalarType.Float32, result.dtype);
        Assert.True(result.min().item<float>() >= -1f && result.max().item<float>() <= 1f);
        Assert.True(images.Equals(before));
        Assert.False(result.allclose(images));
    }

    [Fact]
    public void The_same_seed_gives_the_same_augmentation_and_another_seed_a_different_one()
    {
        using var scope = NewDisposeScope();
        var images = Images();
        var options = AugmentationOptions.DiffAugment with { CropProbability = 1 };

        var a = Augmentation.Apply(images, options, new SeededRandom(7));
        var b = Augmentation.Apply(images, options, new SeededRandom(7));
        var c = Augmentation.Apply(images, options, new SeededRandom(8));

        Assert.True(a.Equals(b));
        Assert.False(a.allclose(c));
    }

    [Fact]
    public void With_nothing_switched_on_the_batch_is_unchanged()
    {
        using var scope = NewDisposeScope();
        var images = Images();
        Assert.True(Augmentation.Apply(images, AugmentationOptions.None, new SeededRandom(3)).Equals(images));
    }

    [Fact]
    public void A_crop_of_the_full_area_is_the_identity_and_crops_happen_on_about_a_quarter_of_batches()
    {
        using var scope = NewDisposeScope();
        var images = Images();
        var full = Augmentation.Apply(images, new AugmentationOptions(CropProbability: 1, CropScaleMin: 1, CropScaleMax: 1), new SeededRandom(5));
        // The ±2 % aspect jitter moves content by at most a third of a pixel at the edges: nearly the identity.
        Assert.True((full - images).abs().mean().item<float>() < 0.03f);

        int cropped = Enumerable.Range(0, 200).Count(seed =>
            !Augmentation.Apply(images.narrow(0, 0, 1), AugmentationOptions.Authors, new SeededRandom((ulong)seed)).Equals(images.narrow(0, 0, 1)));
        Assert.InRange(cropped, 30, 70);
    }

    [Fact]
    public void Translation_shifts_whole_pixels_by_at_most_an_eighth_and_pads_with_zero()
    {
        using var scope = NewDisposeScope();
        var images = Images();
        var shifted = Augmentation.Apply(images, AugmentationOptions.None with { Translation = true }, new SeededRandom(11));

        for (int b = 0; b < 4; b++)
        {
            bool found = false;
            for (int dy = -4; dy <= 4 && !found; dy++)
                for (int dx = -4; dx <= 4 && !found; dx++)
                    found = Shift(images[b], dx, dy).Equals(shifted[b]);
            Assert.True(found, $"image {b} is not a zero-padded whole-pixel shift of at most 4");
        }
    }

    /// <summary>Reference shift: out[y, x] = in[y − dy, x − dx], zero outside.</summary>
    private static Tensor Shift(Tensor image, int dx, int dy)
    {
        var padded = nn.functional.pad(image, new long[] { 4, 4, 4, 4 });
        return padded[.., (4 - dy)..(36 - dy), (4 - dx)..(36 - dx)];
    }
}
