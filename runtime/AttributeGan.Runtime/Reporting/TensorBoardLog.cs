using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AttributeGan.Runtime.Sampling;
using SkiaSharp;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Reporting;

/// <summary>
/// Training curves and sample grids for TensorBoard, through TorchSharp's <c>torch.utils.tensorboard</c> writer: it
/// appends TFRecord-framed <c>Event</c> protobufs (length, masked CRC-32C, payload, masked CRC-32C) to one
/// <c>events.out.tfevents.*</c> file per writer, opening and flushing the file on every call, so there is nothing
/// to close and a crash loses at most the event being written.
/// </summary>
/// <remarks>
/// What TorchSharp 0.107's writer does and does not do: scalars, images (PNG-encoded through SkiaSharp; works with
/// the SkiaSharp 3.119 this project uses), text, histograms. Its steps are <c>int</c>, wall times whole seconds,
/// and the file's first event (the version header) carries a wall time in .NET ticks instead of seconds, which
/// TensorBoard's "relative time" axis shows as a huge offset; the step axis is unaffected.
/// </remarks>
public sealed class TensorBoardLog
{
    private readonly SummaryWriter writer;

    /// <summary>Creates <paramref name="logDirectory"/> if needed and starts a new event file in it.</summary>
    public TensorBoardLog(string logDirectory)
    {
        LogDirectory = Path.GetFullPath(logDirectory);
        writer = torch.utils.tensorboard.SummaryWriter(LogDirectory);
    }

    public string LogDirectory { get; }

    /// <summary>One value of a curve, e.g. <c>loss/generator</c>. Non-finite values are written as they are: TensorBoard shows them as gaps.</summary>
    public void Scalar(string tag, double value, long step) => writer.add_scalar(tag, (float)value, Step(step));

    /// <summary>Several curves at one step, each under its own tag (in this file, unlike <c>add_scalars</c>, which opens one directory per key).</summary>
    public void Scalars(IReadOnlyDictionary<string, double> values, long step)
    {
        foreach (var (tag, value) in values) Scalar(tag, value, step);
    }

    /// <summary>A rendered picture (a labelled grid, a strip, a chart) as an image summary.</summary>
    public void Image(string tag, SKBitmap bitmap, long step)
    {
        using var scope = NewDisposeScope();
        using var rgba = ImageConversion.ToRgba(bitmap);
        var bytes = rgba.GetPixelSpan().ToArray();
        var hwc = tensor(bytes, new long[] { rgba.Height, rgba.Width, 4 });           // (H, W, 4) uint8
        var chw = hwc.narrow(2, 0, 3).permute(2, 0, 1).contiguous();                   // (3, H, W): uint8 is written unscaled
        // TorchSharp's image summary makes temporary Scalars inside and has no overload that takes held ones; it runs once
        // per picture written (sample intervals, the end of a run), the one exposure left (docs/results/scalar-lifetime.md).
#pragma warning disable AGS002
        writer.add_img(tag, chw, Step(step));
#pragma warning restore AGS002
    }

    /// <summary>An attribute grid, rendered with its level labels and caption.</summary>
    public void Grid(string tag, AttributeGrid grid, long step)
    {
        using var bitmap = grid.Render();
        Image(tag, bitmap, step);
    }

    /// <summary>A batch (B, C, H, W) in [−1, 1] as an unlabelled grid of <paramref name="columns"/> columns (e.g. fixed-noise samples during training).</summary>
    public void Images(string tag, Tensor images, int columns, long step)
    {
        if (images.dim() != 4) throw new ArgumentException($"Expected (B, C, H, W), got ({string.Join(", ", images.shape)}).", nameof(images));
        int count = (int)images.shape[0];
        columns = Math.Clamp(columns, 1, count);
        int rows = (count + columns - 1) / columns;
        using var scope = NewDisposeScope();
        var padded = count == rows * columns
            ? images
            : cat(new[] { images, ones(new long[] { rows * columns - count, images.shape[1], images.shape[2], images.shape[3] }, images.dtype, images.device) }, 0); // white cells fill the last row
        using var bitmap = GridImage.Render(padded, rows, columns, Enumerable.Repeat("", rows).ToArray(), title: null, minimumCell: 0);
        Image(tag, bitmap, step);
    }

    /// <summary>The distribution of a tensor's values (weights, gradients, discriminator logits).</summary>
    public void Histogram(string tag, Tensor values, long step)
    {
        using var cpu = values.detach().to(ScalarType.Float32).cpu().flatten();
        // As add_img above: the Scalars are inside TorchSharp's histogram binning, once per histogram written.
#pragma warning disable AGS002
        writer.add_histogram(tag, cpu, Step(step));
#pragma warning restore AGS002
    }

    /// <summary>Free text (shown in TensorBoard's Text tab), e.g. the run's options.</summary>
    public void Text(string tag, string text, long step) => writer.add_text(tag, text, Step(step));

    // TorchSharp takes int steps; a run long enough to overflow one is a bug, not something to wrap silently.
    private static int Step(long step) => step is >= 0 and <= int.MaxValue
        ? (int)step
        : throw new ArgumentOutOfRangeException(nameof(step), step, "TensorBoard steps must be in 0..int.MaxValue.");
}
