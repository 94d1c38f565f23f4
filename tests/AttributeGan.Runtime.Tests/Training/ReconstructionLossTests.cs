using System;
using System.Collections.Generic;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public class ReconstructionLossTests
{
    private const int B = 2, C = 3, R = 8;

    [Theory]
    [InlineData(0, 6)]   // whole image 8 → 6 (down), quadrant 4 → 6 (up)
    [InlineData(1, 6)]
    [InlineData(2, 4)]   // quadrant at its own size: a plain crop
    [InlineData(3, 5)]
    public void Targets_and_loss_match_an_explicit_crop_and_bilinear_resize(int quadrant, int size)
    {
        torch.manual_seed(31 + quadrant);
        using var scope = torch.NewDisposeScope();
        var real = TensorData.RandomDouble(B, C, R, R);
        var resolutions = new[] { 4, 8, 16 };
        var reconstructions = new List<Tensor>();
        for (var d = 0; d < resolutions.Length; d++) reconstructions.Add(TensorData.RandomDouble(B, C, size, size));

        var targets = ReconstructionLoss.Targets(real, resolutions, size, quadrant);
        var loss = ReconstructionLoss.Compute(reconstructions, real, resolutions, size, quadrant);

        var image = TensorData.Flat(real);
        int half = R / 2, top = quadrant / 2 * half, left = quadrant % 2 * half;
        double expectedLoss = 0;
        for (var d = 0; d < resolutions.Length; d++)
        {
            var expected = d == 0 ? CropAndResize(image, 0, 0, R, size) : CropAndResize(image, top, left, half, size);
            var actual = TensorData.Flat(targets[d]);
            Assert.Equal(new long[] { B, C, size, size }, targets[d].shape);
            Assert.Equal(expected.Length, actual.Length);
            for (var j = 0; j < expected.Length; j++) Assert.Equal(expected[j], actual[j], 1e-12);

            var reconstruction = TensorData.Flat(reconstructions[d]);
            double squares = 0;
            for (var j = 0; j < expected.Length; j++) squares += (reconstruction[j] - expected[j]) * (reconstruction[j] - expected[j]);
            expectedLoss += squares / expected.Length;
        }
        Assert.Equal(expectedLoss, loss.item<double>(), 1e-11);
    }

    [Fact]
    public void Quadrants_are_top_left_top_right_bottom_left_bottom_right()
    {
        using var scope = torch.NewDisposeScope();
        // Pixel (r, c) holds 10·r + c, so each crop's first pixel names its corner.
        var real = (torch.arange(4, dtype: ScalarType.Float64).view(1, 1, 4, 1) * 10 + torch.arange(4, dtype: ScalarType.Float64).view(1, 1, 1, 4))
            .expand(1, 1, 4, 4).contiguous();
        double[] corners = { 0, 2, 20, 22 };
        for (var q = 0; q < 4; q++)
        {
            var targets = ReconstructionLoss.Targets(real, new[] { 2, 4 }, 2, q);
            Assert.Equal(corners[q], targets[1][0, 0, 0, 0].item<double>());
            Assert.Equal(corners[q] + 11, targets[1][0, 0, 1, 1].item<double>());
        }
    }

    [Fact]
    public void The_loss_drives_only_the_reconstructions_and_is_zero_at_the_targets()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(35);
        var real = TensorData.RandomDouble(B, C, R, R).requires_grad_();
        var resolutions = new[] { 4, 8 };
        var targets = ReconstructionLoss.Targets(real, resolutions, 8, 2);
        var reconstructions = new List<Tensor> { targets[0].clone().requires_grad_(), targets[1].clone().requires_grad_() };

        var loss = ReconstructionLoss.Compute(reconstructions, real, resolutions, 8, 2);
        loss.backward();

        Assert.Equal(0.0, loss.item<double>());
        Assert.Null(real.grad);
        Assert.NotNull(reconstructions[0].grad);
    }

    [Fact]
    public void The_tiny_discriminator_decoders_fit_the_targets()
    {
        using var scope = torch.NewDisposeScope();
        torch.manual_seed(36);
        var spec = TinySpec.Instance;
        using var discriminator = spec.CreateDiscriminator();
        var images = torch.randn(2, spec.ImageChannels, spec.Resolution, spec.Resolution);
        var attributes = torch.zeros(2, spec.Attributes.Width);

        using var output = discriminator.call(images, attributes, new DiscriminatorHeads(Reconstruction: true, Quadrant: 1));
        var loss = ReconstructionLoss.Compute(output.Reconstructions, images, spec.Heads.ReconstructionResolutions, spec.Heads.ReconstructionSize, 1);

        Assert.Equal(spec.Heads.ReconstructionResolutions.Count, output.Reconstructions.Count);
        Assert.True(double.IsFinite(loss.item<float>()) && loss.item<float>() > 0);
    }

    [Fact]
    public void Mismatched_counts_and_sizes_are_rejected()
    {
        using var scope = torch.NewDisposeScope();
        var real = torch.zeros(1, 3, 8, 8);
        var one = new List<Tensor> { torch.zeros(1, 3, 4, 4) };
        Assert.Throws<ArgumentException>(() => ReconstructionLoss.Compute(one, real, new[] { 4, 8 }, 4, 0));
        Assert.Throws<ArgumentException>(() => ReconstructionLoss.Compute(one, real, new[] { 4 }, 5, 0));
        Assert.Throws<ArgumentException>(() => ReconstructionLoss.Targets(real, new[] { 8, 4 }, 4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ReconstructionLoss.Targets(real, new[] { 4, 8 }, 4, 4));
    }

    /// <summary>
    /// Crops (top, left, side) from every (b, c) plane of a flat (B, C, R, R) image and resizes it to size×size with
    /// PyTorch's bilinear rule for align_corners = false: source = (dst + 0.5)·side/size − 0.5, clamped at 0.
    /// </summary>
    private static double[] CropAndResize(double[] image, int top, int left, int side, int size)
    {
        var result = new double[B * C * size * size];
        double scale = (double)side / size;
        for (var b = 0; b < B; b++)
        for (var c = 0; c < C; c++)
        for (var y = 0; y < size; y++)
        for (var x = 0; x < size; x++)
        {
            var (y0, y1, wy) = Source(y, scale, side);
            var (x0, x1, wx) = Source(x, scale, side);
            double Pixel(int row, int col) => image[((b * C + c) * R + top + row) * R + left + col];
            result[((b * C + c) * size + y) * size + x] =
                (1 - wy) * ((1 - wx) * Pixel(y0, x0) + wx * Pixel(y0, x1)) + wy * ((1 - wx) * Pixel(y1, x0) + wx * Pixel(y1, x1));
        }
        return result;
    }

    private static (int Low, int High, double Weight) Source(int dst, double scale, int side)
    {
        double src = Math.Max((dst + 0.5) * scale - 0.5, 0.0);
        int low = (int)Math.Floor(src);
        int high = Math.Min(low + 1, side - 1);
        return (low, high, src - low);
    }
}
