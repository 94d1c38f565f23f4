using System.Linq;
using AttributeGan.Runtime.Sampling;
using SkiaSharp;
using Xunit;
using static AttributeGan.Runtime.Tests.Sampling.SamplingTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Sampling;

public class GridImageTests
{
    // Six 16×16 images of solid, distinct colours, as (6, 3, 16, 16) in [−1, 1].
    private static readonly SKColor[] Colours =
    {
        new(255, 0, 0), new(0, 255, 0), new(0, 0, 255),
        new(255, 255, 0), new(0, 255, 255), new(255, 0, 255),
    };

    private static Tensor SolidImages()
    {
        var values = Colours.SelectMany(c => new float[] { c.Red, c.Green, c.Blue }).Select(v => v / 127.5f - 1f).ToArray();
        return tensor(values).view(6, 3, 1, 1).expand(6, 3, 16, 16).contiguous();
    }

    [Fact]
    public void Cells_are_scaled_up_and_laid_out_row_major()
    {
        using var images = SolidImages();

        using var bitmap = GridImage.Render(images, rows: 2, columns: 3, new[] { "", "" }, title: null);

        int cell = GridImage.DefaultMinimumCell;                           // 16 px × 6
        for (int i = 0; i < Colours.Length; i++)
        {
            var pixels = Enumerable.Range(0, bitmap.Height).SelectMany(y => Enumerable.Range(0, bitmap.Width).Select(x => (x, y)))
                .Where(p => bitmap.GetPixel(p.x, p.y) == Colours[i]).ToArray();
            Assert.Equal(cell * cell, pixels.Length);
            int row = i / 3, column = i % 3;
            var (left, top) = (pixels.Min(p => p.x), pixels.Min(p => p.y));
            var first = Enumerable.Range(0, bitmap.Height).SelectMany(y => Enumerable.Range(0, bitmap.Width).Select(x => (x, y)))
                .First(p => bitmap.GetPixel(p.x, p.y) == Colours[0]);
            Assert.Equal(first.x + column * (cell + 2), left);             // 2-px gutters
            Assert.Equal(first.y + row * (cell + 2), top);
        }
    }

    [Fact]
    public void Row_labels_and_the_title_are_drawn()
    {
        using var images = SolidImages();

        using var plain = GridImage.Render(images, 2, 3, new[] { "", "" }, title: null);
        using var labelled = GridImage.Render(images, 2, 3, new[] { "normal", "severe" }, title: "crowding varied");

        int labelWidth = labelled.Width - plain.Width;
        int titleHeight = labelled.Height - plain.Height;
        Assert.True(labelWidth > 40, $"label column {labelWidth} px");
        Assert.True(titleHeight > 12, $"title band {titleHeight} px");
        // The label column (left of the images, below the title) and the title band hold dark text pixels.
        Assert.True(CountNot(labelled, SKColors.White, 0, titleHeight, labelWidth, labelled.Height) > 50);
        Assert.True(CountNot(labelled, SKColors.White, 0, 0, labelled.Width, titleHeight) > 50);
        Assert.Equal(0, CountNot(plain, SKColors.White, 0, 0, 10, plain.Height));   // no labels: only the margin there
    }

    [Fact]
    public void The_png_decodes_to_the_rendered_size()
    {
        using var images = SolidImages();
        using var directory = new TempDirectory();
        string path = directory.File("sub/grid.png");

        using var bitmap = GridImage.Render(images, 2, 3, new[] { "a", "b" }, "title", new[] { "x", "y", "z" });
        bitmap.SavePng(path);
        using var decoded = SKBitmap.Decode(path);

        Assert.Equal((bitmap.Width, bitmap.Height), (decoded.Width, decoded.Height));
        for (int y = 0; y < bitmap.Height; y += 3)                         // PNG is lossless: the pixels survive
            for (int x = 0; x < bitmap.Width; x += 3)
                Assert.Equal(bitmap.GetPixel(x, y), decoded.GetPixel(x, y));
        Assert.Single(System.IO.Directory.GetFiles(System.IO.Path.GetDirectoryName(path)!));  // no temporary file left behind
    }

    [Fact]
    public void A_sampled_grid_renders_with_its_level_labels()
    {
        using var generator = TinyGenerator();
        using var grid = AttributeGridSampler.Sample(generator, AttributeGan.Models.Specs.TinySpec.Instance, "cell_crowding", new[] { 0, 0 }, 4, 1, CPU);

        using var bitmap = grid.Render();

        Assert.True(bitmap.Width > 4 * GridImage.DefaultMinimumCell);
        Assert.True(bitmap.Height > 3 * GridImage.DefaultMinimumCell);
    }
}
