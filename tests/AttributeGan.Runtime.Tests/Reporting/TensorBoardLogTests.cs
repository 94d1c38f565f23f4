using System.Collections.Generic;
using System.IO;
using System.Linq;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Reporting;
using AttributeGan.Runtime.Sampling;
using AttributeGan.Runtime.Tests.Sampling;
using SkiaSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Reporting;

public class TensorBoardLogTests
{
    private static List<Tensorboard.Event> ReadEvents(string directory)
    {
        var file = Assert.Single(Directory.GetFiles(directory, "events.out.tfevents.*"));
        Assert.True(new FileInfo(file).Length > 0);
        return TfRecordReader.ReadRecords(file).Select(r => Tensorboard.Event.Parser.ParseFrom(r)).ToList();
    }

    [Fact]
    public void Scalars_are_written_as_checksummed_records_that_read_back()
    {
        using var directory = new TempDirectory();
        var log = new TensorBoardLog(directory.File("run/tb"));

        log.Scalar("loss/generator", 1.25, step: 3);
        log.Scalars(new Dictionary<string, double> { ["loss/discriminator"] = 0.5, ["lr"] = 2e-4 }, step: 4);

        var events = ReadEvents(log.LogDirectory);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var values = events.Skip(1).SelectMany(e => e.Summary.Value.Select(v => (e.Step, v.Tag, v.SimpleValue))).ToList();
        Assert.Equal(new[] { (3L, "loss/generator", 1.25f), (4L, "loss/discriminator", 0.5f), (4L, "lr", 2e-4f) }, values);
    }

    [Fact]
    public void Images_are_written_as_pngs_with_the_pixels_of_the_bitmap()
    {
        using var directory = new TempDirectory();
        var log = new TensorBoardLog(directory.Path);
        using var bitmap = new SKBitmap(new SKImageInfo(5, 4, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 5; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 50), (byte)(y * 60), 200));

        log.Image("samples/grid", bitmap, step: 7);

        var image = ReadEvents(directory.Path).Skip(1).Single().Summary.Value.Single();
        Assert.Equal("samples/grid", image.Tag);
        Assert.Equal((5, 4), (image.Image.Width, image.Image.Height));
        using var decoded = SKBitmap.Decode(image.Image.EncodedImageString.ToByteArray());
        for (int y = 0; y < 4; y++)
            for (int x = 0; x < 5; x++)
                Assert.Equal(bitmap.GetPixel(x, y), decoded.GetPixel(x, y));
    }

    [Fact]
    public void Grids_batches_histograms_and_text_all_land_in_one_event_file()
    {
        using var directory = new TempDirectory();
        var log = new TensorBoardLog(directory.Path);
        using var generator = SamplingTestHelpers.TinyGenerator();
        using var grid = AttributeGridSampler.Sample(generator, TinySpec.Instance, "cell_crowding", new[] { 0, 0 }, 2, 1, CPU);
        using var batch = rand(5, 3, 16, 16).mul(2).sub(1);

        log.Grid("grid", grid, 1);
        log.Images("fixed_noise", batch, columns: 3, 1);
        log.Histogram("logits", randn(100), 1);
        log.Text("options", "batch: 8", 0);

        var kinds = ReadEvents(directory.Path).Skip(1).Select(e => e.Summary.Value.Single()).ToDictionary(v => v.Tag, v => v.ValueCase.ToString());
        Assert.Equal("Image", kinds["grid"]);
        Assert.Equal("Image", kinds["fixed_noise"]);
        Assert.Equal("Histo", kinds["logits"]);
        Assert.Equal("Tensor", kinds["options/text_summary"]);                 // the text plugin stores a string tensor
    }
}
