using System;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Sampling;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Gif;
using SixLabors.ImageSharp.PixelFormats;
using SkiaSharp;
using Xunit;
using static AttributeGan.Runtime.Tests.Sampling.SamplingTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Sampling;

public class InterpolationTests
{
    private static readonly TinySpec Spec = TinySpec.Instance;          // cell_crowding: normal, mild, severe; mitosis: rare, frequent

    /// <summary>
    /// To float rounding, not bit for bit: the walk's end images share a batch with other images than the grid's, and
    /// libtorch's element-wise kernels (the excitation's sigmoid over B × channels values, the initial matrix product's
    /// rows) compute the values at the end of a tensor in a scalar loop rather than in vectors (measured 7.5e-9 apart).
    /// </summary>
    [Fact]
    public void The_walk_starts_and_ends_at_the_level_samples()
    {
        using var generator = TinyGenerator();

        using var walk = Interpolation.Walk(generator, Spec, "cell_crowding", "mild", "severe", steps: 5, new[] { 0, 1 }, columns: 3, seed: 4, CPU);
        using var grid = AttributeGridSampler.Sample(generator, Spec, "cell_crowding", new[] { 0, 1 }, columns: 3, seed: 4, CPU);

        Assert.Equal(new long[] { 5, 3, 3, 16, 16 }, walk.Frames.shape);
        for (int column = 0; column < 3; column++)
        {
            Assert.True(grid.At(1, column).allclose(walk.Frame(0)[column], rtol: 0, atol: 1e-6), $"first frame, column {column}");
            Assert.True(grid.At(2, column).allclose(walk.Frame(4)[column], rtol: 0, atol: 1e-6), $"last frame, column {column}");
        }

        Assert.False(walk.Frame(2).allclose(walk.Frame(0)));             // the middle is somewhere else
    }

    [Fact]
    public void Only_the_attribute_moves_along_the_walk()
    {
        using var generator = new NoiseEchoGenerator();

        using var walk = Interpolation.Walk(generator, Spec, "cell_crowding", "normal", "severe", steps: 5, new[] { 1, 0 }, columns: 2, seed: 6, CPU);

        for (int step = 1; step < walk.Steps; step++)
            Assert.True(Identical(walk.Frame(0), walk.Frame(step)), $"step {step} used other noise");
        Assert.Equal(new[] { 0f, 0.25f, 0.5f, 0.75f, 1f }, walk.Fractions);
        // Step 1, column 0: 0.75 normal + 0.25 severe; mitosis stays one-hot at its base level (rare).
        Assert.Equal(new[] { 0.75f, 0f, 0.25f, 1f, 0f }, generator.AttributeRows[1 * 2 + 0]);
        Assert.Equal(new[] { "normal", "normal 0.25 → severe", "normal 0.5 → severe", "normal 0.75 → severe", "severe" }, walk.StepLabels);
    }

    [Fact]
    public void The_gif_has_one_frame_per_step_and_loops()
    {
        using var generator = TinyGenerator();
        using var walk = Interpolation.Walk(generator, Spec, "mitosis", "rare", "frequent", steps: 4, new[] { 0, 0 }, columns: 2, seed: 1, CPU);
        using var directory = new TempDirectory();
        string path = directory.File("walk.gif");

        walk.SaveGif(path, frameDelayMs: 300);

        var configuration = new Configuration(new GifConfigurationModule());
        using var gif = Image.Load<Rgba32>(configuration, path);
        Assert.Equal(4, gif.Frames.Count);
        Assert.Equal(0, gif.Metadata.GetGifMetadata().RepeatCount);
        for (int i = 0; i < gif.Frames.Count; i++)
            Assert.Equal(30, gif.Frames[i].Metadata.GetGifMetadata().FrameDelay);
        Assert.True(gif.Width > 2 * GridImage.DefaultMinimumCell);
    }

    [Fact]
    public void The_strip_has_a_row_per_noise_and_a_column_per_step()
    {
        using var generator = TinyGenerator();
        using var walk = Interpolation.Walk(generator, Spec, "cell_crowding", "normal", "mild", steps: 3, new[] { 0, 0 }, columns: 2, seed: 1, CPU);
        using var directory = new TempDirectory();
        string path = directory.File("strip.png");

        walk.SaveStrip(path);
        using var strip = SKBitmap.Decode(path);
        using var gridOfSameShape = GridImage.Render(walk.Frame(0).repeat(3, 1, 1, 1), 2, 3, new[] { "noise 1", "noise 2" }, walk.Description, walk.StepLabels);

        Assert.Equal((gridOfSameShape.Width, gridOfSameShape.Height), (strip.Width, strip.Height));
        Assert.True(strip.Height > 2 * GridImage.DefaultMinimumCell && strip.Height < 3 * GridImage.DefaultMinimumCell);
        Assert.True(strip.Width > 3 * GridImage.DefaultMinimumCell);
    }

    [Fact]
    public void Unknown_names_and_empty_walks_are_rejected_with_the_valid_choices()
    {
        using var generator = new NoiseEchoGenerator();
        var levels = new[] { 0, 0 };

        var attribute = Assert.Throws<ArgumentException>(() => Interpolation.Walk(generator, Spec, "polarity", "a", "b", 3, levels, 1, 1, CPU));
        var from = Assert.Throws<ArgumentException>(() => Interpolation.Walk(generator, Spec, "cell_crowding", "none", "severe", 3, levels, 1, 1, CPU));
        var to = Assert.Throws<ArgumentException>(() => Interpolation.Walk(generator, Spec, "cell_crowding", "normal", "extreme", 3, levels, 1, 1, CPU));
        var same = Assert.Throws<ArgumentException>(() => Interpolation.Walk(generator, Spec, "cell_crowding", "mild", "mild", 3, levels, 1, 1, CPU));
        Assert.Throws<ArgumentOutOfRangeException>(() => Interpolation.Walk(generator, Spec, "cell_crowding", "normal", "mild", 1, levels, 1, 1, CPU));

        Assert.Contains("cell_crowding, mitosis", attribute.Message);
        Assert.Contains("normal, mild, severe", from.Message);
        Assert.Contains("normal, mild, severe", to.Message);
        Assert.Contains("different levels", same.Message);
    }
}
