using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Data;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace AttributeGan.Runtime.Tests.Data;

public sealed class ImageDecodingTests : IDisposable
{
    private readonly TempDirectory folder = new();
    private readonly byte[] png;
    private readonly byte[] jpeg;

    public ImageDecodingTests()
    {
        var patch = SyntheticTissue.Draw(new TissueIntensities(0.5, 0.5, 0.5, 0.5, 0.5), 64, 4);
        string pngPath = folder.File("good.png");
        ImageDecoding.WritePng(pngPath, patch.Pixels, 64, 64);
        png = File.ReadAllBytes(pngPath);
        using var image = Image.LoadPixelData<Rgb24>(patch.Pixels, 64, 64);
        using var stream = new MemoryStream();
        image.Save(stream, new JpegEncoder { Quality = 90 });
        jpeg = stream.ToArray();
    }

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_png_decodes_to_chw_floats_in_minus_one_to_one_exactly()
    {
        string path = folder.File("good.png");
        var rgb = ImageDecoding.DecodeRgb(path, 64);
        var chw = ImageDecoding.DecodeChw(path, 64);

        Assert.Equal(SyntheticTissue.Draw(new TissueIntensities(0.5, 0.5, 0.5, 0.5, 0.5), 64, 4).Pixels, rgb);
        Assert.Equal(3 * 64 * 64, chw.Length);
        Assert.Equal(rgb[0] / 127.5f - 1, chw[0]);                    // R of pixel 0
        Assert.Equal(rgb[5 * 3 + 1] / 127.5f - 1, chw[64 * 64 + 5]);  // G of pixel 5
        Assert.All(chw, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(new[] { -1f, 1f }, ImageDecoding.RgbToChw(new byte[] { 0, 255, 0 }, 1)[..2]);
    }

    [Fact]
    public void A_non_square_image_is_centre_cropped_then_resized()
    {
        // 60×20: red, blue, red thirds; the centred 20×20 square is all blue.
        var pixels = new byte[60 * 20 * 3];
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 60; x++)
                pixels[(y * 60 + x) * 3 + (x >= 20 && x < 40 ? 2 : 0)] = 255;
        string path = folder.File("wide.png");
        ImageDecoding.WritePng(path, pixels, 60, 20);

        var rgb = ImageDecoding.DecodeRgb(path, 16);
        Assert.Equal(16 * 16 * 3, rgb.Length);
        for (int p = 0; p < 256; p++) Assert.True(rgb[p * 3 + 2] > 240 && rgb[p * 3] < 15, $"pixel {p} is {rgb[p * 3]},{rgb[p * 3 + 1]},{rgb[p * 3 + 2]}");
    }

    [Fact]
    public void A_jpeg_decodes_and_a_truncated_jpeg_is_refused()
    {
        File.WriteAllBytes(folder.File("good.jpg"), jpeg);
        File.WriteAllBytes(folder.File("cut.jpg"), jpeg[..(jpeg.Length * 2 / 3)]);

        var decoded = ImageDecoding.DecodeRgb(folder.File("good.jpg"), 32);
        Assert.Equal(32 * 32 * 3, decoded.Length);
        var error = Assert.Throws<DataSetException>(() => ImageDecoding.DecodeRgb(folder.File("cut.jpg"), 32));
        Assert.Equal(folder.File("cut.jpg"), error.File);
        Assert.StartsWith(folder.File("cut.jpg") + ": the image is corrupt or truncated", error.Message);
        Assert.Contains("end-of-image marker", error.Message);
        Assert.Contains("Fix: re-export the image", error.Message);
    }

    [Fact]
    public void A_corrupt_or_truncated_png_is_refused_naming_the_file()
    {
        var corrupt = (byte[])png.Clone();
        for (int i = 120; i < 160; i++) corrupt[i] ^= 0x5A;
        File.WriteAllBytes(folder.File("corrupt.png"), corrupt);
        File.WriteAllBytes(folder.File("cut.png"), png[..(png.Length / 2)]);

        var error = Assert.Throws<DataSetException>(() => ImageDecoding.DecodeRgb(folder.File("corrupt.png"), 32));
        Assert.StartsWith(folder.File("corrupt.png") + ": the image", error.Message);
        Assert.Contains("Fix: ", error.Message);
        error = Assert.Throws<DataSetException>(() => ImageDecoding.DecodeRgb(folder.File("cut.png"), 32));
        Assert.StartsWith(folder.File("cut.png") + ": the image is corrupt or truncated", error.Message);
    }

    [Fact]
    public void A_header_claiming_100000_pixels_a_side_is_refused_before_decoding()
    {
        string path = folder.File("huge.png");
        File.WriteAllBytes(path, CraftedImages.PngHeader(100000, 100000));

        var clock = Stopwatch.StartNew();
        var error = Assert.Throws<DataSetException>(() => ImageDecoding.DecodeRgb(path, 64));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));   // no 30 GB allocation was attempted
        Assert.Equal(path, error.File);
        Assert.Contains("claims 100000×100000 pixels; sides must be 1…8192", error.Message);
        Assert.Equal(new ImageHeader("PNG", 8192, 16), ImageDecoding.Identify(WriteHeader("edge.png", 8192, 16)));
    }

    [Fact]
    public void Formats_other_than_png_and_jpeg_are_refused()
    {
        using (var image = new Image<Rgb24>(8, 8)) image.SaveAsBmp(folder.File("picture.bmp"));
        var error = Assert.Throws<DataSetException>(() => ImageDecoding.Identify(folder.File("picture.bmp")));
        Assert.Contains("picture.bmp: the file is not a PNG or JPEG image. Fix: convert it to PNG or JPEG", error.Message);
    }

    [Fact]
    public void Loading_a_folder_fails_on_the_first_bad_image_or_skips_and_reports_them()
    {
        var spec = TinySpec.Instance;
        SyntheticDataSet.Write(spec.Attributes, folder.Path, 40, spec.Resolution, 2);
        File.WriteAllBytes(folder.File("images/000003.png"), png[..(png.Length / 2)]);            // truncated
        File.WriteAllBytes(folder.File("images/000005.png"), CraftedImages.PngHeader(100000, 100000));
        File.WriteAllBytes(folder.File("images/000008.png"), jpeg[..(jpeg.Length / 2)]);          // a truncated JPEG named .png
        File.Delete(folder.File("images/000009.png"));

        var error = Assert.Throws<DataSetException>(() => DataSet.Load(folder.Path, spec));
        Assert.Equal(11, error.Line);   // row of 000009.png: a missing file is a table error
        Assert.Contains("the image 'images/000009.png' does not exist", error.Message);
        File.WriteAllBytes(folder.File("images/000009.png"), new byte[] { 0x47, 0x49, 0x46 });   // not an image at all
        error = Assert.Throws<DataSetException>(() => DataSet.Load(folder.Path, spec));
        Assert.Equal(5, error.Line);    // the first bad row in table order
        Assert.Contains("column 'path': the image 'images/000003.png'", error.Message);
        Assert.Contains("corrupt or truncated", error.Message);

        var data = DataSet.Load(folder.Path, spec, new DataSetOptions(OnBadImage: OnBadImage.Skip));
        Assert.Equal(new[] { 5, 7, 10, 11 }, data.Skipped.Select(s => s.Line));
        Assert.Contains("100000×100000", data.Skipped[1].Reason);
        Assert.Contains("not a PNG or JPEG", data.Skipped[3].Reason);
        Assert.Equal(40, data.RowsRead);
        Assert.Equal(36 - data.Combinations.Dropped.Sum(c => c.Count), data.Count);
        Assert.Contains("4 bad images skipped", data.Describe());
    }

    private string WriteHeader(string name, int width, int height)
    {
        File.WriteAllBytes(folder.File(name), CraftedImages.PngHeader(width, height));
        return folder.File(name);
    }
}
