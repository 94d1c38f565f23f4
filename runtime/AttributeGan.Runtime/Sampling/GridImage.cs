using AttributeGan.Runtime.IO;
using System;
using System.Collections.Generic;
using System.Linq;
using SkiaSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Sampling;

/// <summary>
/// Draws a batch of images as a labelled grid: an optional title on top, optional column headers, a label column
/// on the left, images in row-major order separated by thin white gutters. Text uses the embedded font.
/// </summary>
public static class GridImage
{
    /// <summary>Cells are scaled up (nearest neighbour, whole multiples) to at least this many pixels, so 16×16 samples stay visible.</summary>
    public const int DefaultMinimumCell = 96;

    private const int Margin = 10;
    private const int Gutter = 2;
    private const int TextPadding = 8;
    private static readonly SKColor Background = SKColors.White;
    private static readonly SKColor LabelColour = new(0x20, 0x20, 0x20);
    private static readonly SKColor TitleColour = SKColors.Black;

    /// <summary>
    /// <paramref name="images"/> (rows·columns, C, H, W) in [−1, 1], row-major → an opaque bitmap (the caller disposes it).
    /// Empty labels are allowed; when every row label is empty the label column is left out.
    /// </summary>
    public static SKBitmap Render(
        Tensor images,
        int rows,
        int columns,
        IReadOnlyList<string> rowLabels,
        string? title,
        IReadOnlyList<string>? columnLabels = null,
        int minimumCell = DefaultMinimumCell)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected (rows·columns, C, H, W), got ({string.Join(", ", images.shape)}).", nameof(images));
        if (rows < 1 || columns < 1 || images.shape[0] != (long)rows * columns)
            throw new ArgumentException($"{images.shape[0]} images do not fill {rows} rows × {columns} columns.", nameof(images));
        if (rowLabels.Count != rows) throw new ArgumentException($"Need {rows} row labels, got {rowLabels.Count}.", nameof(rowLabels));
        if (columnLabels is not null && columnLabels.Count != columns)
            throw new ArgumentException($"Need {columns} column labels, got {columnLabels.Count}.", nameof(columnLabels));

        int imageHeight = (int)images.shape[2], imageWidth = (int)images.shape[3];
        int scale = Math.Max(1, (int)Math.Ceiling(minimumCell / (double)Math.Max(imageHeight, imageWidth)));
        int cellWidth = imageWidth * scale, cellHeight = imageHeight * scale;

        // Text sizes follow the cell size, within readable bounds.
        float labelSize = Math.Clamp(cellHeight * 0.14f, 13f, 22f);
        using var labelFont = EmbeddedFont.CreateFont(labelSize);
        using var titleFont = EmbeddedFont.CreateFont(labelSize * 1.2f);

        float labelColumn = rowLabels.All(string.IsNullOrEmpty) ? 0 : rowLabels.Max(l => labelFont.MeasureText(l)) + 2 * TextPadding;
        float headerWidth = columnLabels is null ? 0 : columnLabels.Max(l => labelFont.MeasureText(l)) + 2 * TextPadding;
        int columnWidth = Math.Max(cellWidth, (int)Math.Ceiling(headerWidth));  // long headers widen the columns, images stay centred
        float headerHeight = columnLabels is null ? 0 : LineHeight(labelFont) + TextPadding / 2f;
        float titleHeight = string.IsNullOrEmpty(title) ? 0 : LineHeight(titleFont) + TextPadding;

        int gridWidth = columns * columnWidth + (columns - 1) * Gutter;
        int gridHeight = rows * cellHeight + (rows - 1) * Gutter;
        float titleWidth = string.IsNullOrEmpty(title) ? 0 : titleFont.MeasureText(title);
        int width = (int)Math.Ceiling(Math.Max(labelColumn + gridWidth, titleWidth)) + 2 * Margin;
        int height = (int)Math.Ceiling(titleHeight + headerHeight) + gridHeight + 2 * Margin;

        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(Background);
        using var textPaint = new SKPaint { Color = LabelColour, IsAntialias = true };
        using var titlePaint = new SKPaint { Color = TitleColour, IsAntialias = true };

        if (!string.IsNullOrEmpty(title))
            canvas.DrawText(title, width / 2f, Margin + Baseline(titleFont), SKTextAlign.Center, titleFont, titlePaint);

        float gridLeft = Margin + labelColumn;
        float gridTop = Margin + titleHeight + headerHeight;
        if (columnLabels is not null)
            for (int c = 0; c < columns; c++)
                canvas.DrawText(columnLabels[c], gridLeft + c * (columnWidth + Gutter) + columnWidth / 2f, gridTop - TextPadding / 2f - labelFont.Metrics.Descent, SKTextAlign.Center, labelFont, textPaint);

        var sampling = new SKSamplingOptions(SKFilterMode.Nearest, SKMipmapMode.None);  // crisp pixels: a blurred upscale hides texture
        var tiles = ImageConversion.ToBitmaps(images);
        try
        {
            for (int r = 0; r < rows; r++)
            {
                float top = gridTop + r * (cellHeight + Gutter);
                if (labelColumn > 0)
                    canvas.DrawText(rowLabels[r], gridLeft - TextPadding, top + cellHeight / 2f + CentreOffset(labelFont), SKTextAlign.Right, labelFont, textPaint);
                for (int c = 0; c < columns; c++)
                {
                    float left = gridLeft + c * (columnWidth + Gutter) + (columnWidth - cellWidth) / 2f;
                    using var tile = SKImage.FromBitmap(tiles[r * columns + c]);
                    canvas.DrawImage(tile, SKRect.Create(left, top, cellWidth, cellHeight), sampling);
                }
            }
        }
        finally
        {
            foreach (var tile in tiles) tile.Dispose();
        }

        canvas.Flush();
        return bitmap;
    }

    /// <summary>Writes <paramref name="bitmap"/> as a PNG, atomically (a temporary file renamed over the target).</summary>
    public static void SavePng(this SKBitmap bitmap, string path)
    {
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)
            ?? throw new InvalidOperationException($"Skia could not encode a {bitmap.Width}×{bitmap.Height} bitmap as PNG.");
        AtomicFile.WriteAllBytes(path, data.ToArray());
    }

    /// <summary>A copy of <paramref name="bitmap"/> centred on a white canvas of the given size (frames of one animation must match).</summary>
    internal static SKBitmap PadTo(SKBitmap bitmap, int width, int height)
    {
        var padded = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Unpremul));
        using var canvas = new SKCanvas(padded);
        canvas.Clear(Background);
        canvas.DrawBitmap(bitmap, (width - bitmap.Width) / 2, (height - bitmap.Height) / 2);
        return padded;
    }

    private static float LineHeight(SKFont font) => font.Metrics.Descent - font.Metrics.Ascent;

    private static float Baseline(SKFont font) => -font.Metrics.Ascent;

    // Shifts a baseline so that the text's cap height sits centred on a given y.
    private static float CentreOffset(SKFont font) => font.Metrics.CapHeight / 2f;
}
