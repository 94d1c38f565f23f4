using System;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public class DiffAugmentTests
{
    private static readonly ulong[] Seeds = { 11, 12, 13, 14, 15, 16 };
    private static DiffAugmentSettings Only(DiffAugmentPolicy policy) => new(policy, 1.0);
    private static DiffAugmentSettings All => new(DiffAugmentPolicy.Colour | DiffAugmentPolicy.Translation | DiffAugmentPolicy.Cutout, 1.0);

    private static Tensor Images(int count = 6) =>
        rand(count, 3, 16, 16, generator: new torch.Generator(5)) * 2 - 1;               // (B, 3, 16, 16), no zeros

    [Fact]
    public void An_images_augmentation_depends_on_its_seed_only_not_on_its_batch()
    {
        using var scope = torch.NewDisposeScope();
        var images = Images();
        var whole = DiffAugment.Apply(images, All, Seeds);
        var part = DiffAugment.Apply(images[3..5], All, Seeds[3..5]);
        var reversed = DiffAugment.Apply(images.flip(0), All, Seeds.Reverse().ToArray());

        Assert.True(whole[3..5].equal(part).all().item<bool>(), "ranks holding part of the batch must augment what one process does");
        Assert.True(whole.equal(reversed.flip(0)).all().item<bool>());
        Assert.False(whole.equal(DiffAugment.Apply(images, All, Seeds.Select(s => s + 100).ToArray())).all().item<bool>());
    }

    [Fact]
    public void Translation_moves_whole_pixels_and_fills_with_zeros()
    {
        using var scope = torch.NewDisposeScope();
        var images = Images();
        var moved = DiffAugment.Apply(images, Only(DiffAugmentPolicy.Translation), Seeds);  // (6, 3, 16, 16)
        int shiftedImages = 0;
        for (int b = 0; b < 6; b++)
        {
            // Find the shift that reproduces the image: one of at most (2·2 + 1)² whole-pixel shifts (1/8 of 16).
            var found = Enumerable.Range(-2, 5).SelectMany(dy => Enumerable.Range(-2, 5).Select(dx => (dx, dy)))
                .Where(s => torch.allclose(moved[b], Shift(images[b], s.dx, s.dy), rtol: 0, atol: 1e-5)).ToArray();
            Assert.True(found.Length == 1, $"image {b}: the translation must be a whole-pixel shift with zero fill");
            if (found[0] != (0, 0)) shiftedImages++;
        }
        Assert.True(shiftedImages >= 3, $"only {shiftedImages} of 6 images moved");
    }

    [Fact]
    public void Cutout_zeroes_one_square_of_at_most_a_quarter_of_the_image_and_keeps_the_rest()
    {
        using var scope = torch.NewDisposeScope();
        var images = Images();
        var cut = DiffAugment.Apply(images, Only(DiffAugmentPolicy.Cutout), Seeds);      // (6, 3, 16, 16)
        for (int b = 0; b < 6; b++)
        {
            var zero = cut[b].eq(0).all(0);                                              // (16, 16)
            long zeros = zero.sum().item<long>();
            Assert.InRange(zeros, 4, 8 * 8);
            // The zeros form a rectangle: its bounding box holds no kept pixel.
            var rows = zero.any(1).nonzero().flatten();
            var columns = zero.any(0).nonzero().flatten();
            Assert.Equal(zeros, rows.numel() * columns.numel());
            var kept = zero.logical_not().unsqueeze(0).expand(3, 16, 16);
            Assert.True(cut[b].masked_select(kept).equal(images[b].masked_select(kept)).all().item<bool>());
        }
    }

    [Fact]
    public void Probability_zero_returns_the_images_and_probability_one_half_augments_some()
    {
        using var scope = torch.NewDisposeScope();
        var images = Images(32);
        var seeds = Enumerable.Range(0, 32).Select(i => (ulong)(1000 + i)).ToArray();
        Assert.True(DiffAugment.Apply(images, All with { Probability = 0 }, seeds).equal(images).all().item<bool>());

        var half = DiffAugment.Apply(images, All with { Probability = 0.5 }, seeds);
        int untouched = Enumerable.Range(0, 32).Count(b => half[b].equal(images[b]).all().item<bool>());
        Assert.InRange(untouched, 6, 26);                                                // Binomial(32, 0.5): ±3.5 sd
    }

    [Fact]
    public void Colour_changes_brightness_saturation_and_contrast_differentiably()
    {
        using var scope = torch.NewDisposeScope();
        var images = Images().requires_grad_(true);
        var coloured = DiffAugment.Apply(images, Only(DiffAugmentPolicy.Colour), Seeds);
        Assert.False(coloured.equal(images).all().item<bool>());
        // Per image an affine map of the pixel values: a grey image stays grey (saturation acts around the channel mean).
        var grey = Images()[.., 0..1].expand(6, 3, 16, 16).contiguous();
        var greyOut = DiffAugment.Apply(grey, Only(DiffAugmentPolicy.Colour), Seeds);
        Assert.True(torch.allclose(greyOut[.., 0], greyOut[.., 2], rtol: 0, atol: 1e-5));

        // The generator learns through the augmentation of its fakes: every policy passes gradients to the images.
        DiffAugment.Apply(images, All, Seeds).sum().backward();
        Assert.True(images.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void A_seed_count_that_does_not_match_the_batch_is_refused()
    {
        using var scope = torch.NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => DiffAugment.Apply(Images(), All, Seeds[..4]));
        Assert.Contains("6 images, 4 seeds", error.Message);
    }

    /// <summary>(C, H, W) moved by (dx, dy) whole pixels, vacated pixels zero.</summary>
    private static Tensor Shift(Tensor image, int dx, int dy)
    {
        var result = zeros_like(image);
        long h = image.shape[1], w = image.shape[2];
        long y0 = Math.Max(0, dy), y1 = Math.Min(h, h + dy), x0 = Math.Max(0, dx), x1 = Math.Min(w, w + dx);
        result[.., (int)y0..(int)y1, (int)x0..(int)x1] = image[.., (int)(y0 - dy)..(int)(y1 - dy), (int)(x0 - dx)..(int)(x1 - dx)];
        return result;
    }
}
