using System;
using AttributeGan.Runtime.Sampling;
using SkiaSharp;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Sampling;

public class ImageConversionTests
{
    [Fact]
    public void Values_map_to_bytes_with_clamping_and_rounding()
    {
        // One pixel row of 7 values, the same in all three channels: (3, 1, 7).
        var values = new float[] { -1f, 0f, 1f, -2f, 2f, 0.5f, float.NaN };
        using var image = tensor(values).view(1, 1, 7).expand(3, 1, 7).contiguous();

        var rgb = ImageConversion.ToRgb(image);

        var expected = new byte[] { 0, 128, 255, 0, 255, 191, 128 };      // 0.5 → 1.5·127.5 = 191.25 → 191; NaN → grey
        Assert.Equal(7 * 3, rgb.Length);
        for (int x = 0; x < 7; x++)
            Assert.Equal(new[] { expected[x], expected[x], expected[x] }, rgb[(x * 3)..(x * 3 + 3)]);
    }

    [Fact]
    public void Bitmaps_keep_rows_columns_and_channels_in_place()
    {
        // (3, 2, 3): red ramps along x, green along y, blue constant −1 → 0.
        using var x = linspace(-1, 1, 3).view(1, 1, 3).expand(1, 2, 3);
        using var y = linspace(-1, 1, 2).view(1, 2, 1).expand(1, 2, 3);
        using var b = full(new long[] { 1, 2, 3 }, -1f);
        using var image = cat(new[] { x, y, b }, 0);

        using var bitmap = ImageConversion.ToBitmap(image);

        Assert.Equal(3, bitmap.Width);
        Assert.Equal(2, bitmap.Height);
        Assert.Equal(new SKColor(0, 0, 0), bitmap.GetPixel(0, 0));
        Assert.Equal(new SKColor(128, 0, 0), bitmap.GetPixel(1, 0));
        Assert.Equal(new SKColor(255, 255, 0), bitmap.GetPixel(2, 1));
        Assert.Equal(new SKColor(0, 255, 0), bitmap.GetPixel(0, 1));
    }

    [Fact]
    public void One_channel_becomes_grey_and_batches_convert_together()
    {
        using var batch = tensor(new float[] { -1f, 1f }).view(2, 1, 1, 1).expand(2, 1, 4, 5).contiguous(); // (2, 1, 4, 5)

        using var bytes = ImageConversion.ToRgbBytes(batch);
        var bitmaps = ImageConversion.ToBitmaps(batch);

        Assert.Equal(new long[] { 2, 4, 5, 3 }, bytes.shape);
        Assert.Equal(DeviceType.CPU, bytes.device_type);
        Assert.Equal(2, bitmaps.Count);
        Assert.Equal(new SKColor(0, 0, 0), bitmaps[0].GetPixel(4, 3));
        Assert.Equal(new SKColor(255, 255, 255), bitmaps[1].GetPixel(4, 3));
        foreach (var bitmap in bitmaps) bitmap.Dispose();
    }

    [Fact]
    public void Converting_back_recovers_the_image_within_one_grey_level()
    {
        torch.manual_seed(3);
        using var image = rand(3, 8, 6).mul(2.2).sub(1.1);                 // a little outside [−1, 1] too

        using var bitmap = ImageConversion.ToBitmap(image);
        using var back = ImageConversion.FromBitmap(bitmap);

        Assert.Equal(new long[] { 3, 8, 6 }, back.shape);
        using var clamped = image.clamp(-1, 1);
        float worst = (back - clamped).abs().max().item<float>();
        Assert.True(worst <= 0.5f / 127.5f + 1e-6f, $"round trip error {worst}");
    }

    [Fact]
    public void Bad_shapes_are_rejected_with_the_shape_in_the_message()
    {
        using var twoChannels = zeros(2, 4, 4);
        using var flat = zeros(4, 4);

        var channels = Assert.Throws<ArgumentException>(() => ImageConversion.ToRgbBytes(twoChannels));
        var rank = Assert.Throws<ArgumentException>(() => ImageConversion.ToRgbBytes(flat));

        Assert.Contains("2 channels", channels.Message);
        Assert.Contains("(4, 4)", rank.Message);
    }

    [Fact]
    public void The_embedded_font_is_dejavu_sans()
    {
        Assert.Equal(EmbeddedFont.FamilyName, EmbeddedFont.Typeface.FamilyName);
        using var font = EmbeddedFont.CreateFont(14);
        Assert.True(font.MeasureText("crowding → severe") > 50);
        Assert.NotEqual(0, font.GetGlyphs("→")[0]);                         // the arrow used in step labels has a glyph
    }
}
