using System;
using System.Collections.Generic;
using SkiaSharp;

namespace AttributeGan.Runtime.Data;

/// <summary>
/// Draws a <see cref="TissueScene"/> with SkiaSharp (antialiased, CPU raster, hence deterministic) into RGB bytes.
/// The canvas is scaled from the 256-unit field to the pixel grid, so every resolution shows the same tissue.
/// Colours follow H&amp;E: eosin pinks for stroma and cytoplasm, haematoxylin purples for nuclei.
/// </summary>
internal static class TissueRenderer
{
    private static readonly (double R, double G, double B) Stroma = (234, 148, 190);
    private static readonly (double R, double G, double B) Collagen = (198, 88, 148);
    private static readonly (double R, double G, double B) Cleft = (248, 226, 238);
    private static readonly (double R, double G, double B) Cytoplasm = (214, 158, 200);
    private static readonly (double R, double G, double B) Lumen = (244, 232, 240);
    private static readonly (double R, double G, double B) PaleNucleus = (134, 96, 176);
    private static readonly (double R, double G, double B) DarkNucleus = (74, 44, 124);
    private static readonly (double R, double G, double B) Vesicular = (182, 150, 206);
    private static readonly (double R, double G, double B) Nucleolus = (150, 20, 70);
    private static readonly (double R, double G, double B) Chromosome = (34, 12, 52);
    private static readonly (double R, double G, double B) Halo = (238, 214, 234);

    /// <summary>(R·R·3) bytes, row-major RGB.</summary>
    public static byte[] Render(TissueScene scene, int resolution)
    {
        var info = new SKImageInfo(resolution, resolution, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var bitmap = new SKBitmap(info);
        using (var canvas = new SKCanvas(bitmap))
        using (var paint = new SKPaint { IsAntialias = true })
        {
            float scale = (float)(resolution / TissueScene.Field);
            // A slight optical blur (0.5 field units: 1 px at 512, 0.5 px at 256, skipped below 0.3 px) so high
            // resolutions look scanned rather than vector-drawn; clamped at the borders so the edges do not darken.
            float sigma = 0.5f * scale;
            using var blur = SKImageFilter.CreateBlur(sigma, sigma, SKShaderTileMode.Clamp, null);
            using var layer = new SKPaint { ImageFilter = blur };
            if (sigma >= 0.3f) canvas.SaveLayer(layer);
            canvas.Scale(scale);
            var ink = new Ink(scene.Stain.Haematoxylin, scene.Stain.Eosin);
            canvas.Clear(ink.Eosin(Stroma, 1));
            DrawFibres(canvas, paint, scene, ink);
            using var epithelium = DrawLayers(canvas, paint, scene, ink);
            canvas.Save();
            // A hard clip: an antialiased one costs several times more per draw, and the cells differ from the
            // cytoplasm under them by only a few grey levels, so the aliased edge cannot be seen.
            canvas.ClipPath(epithelium, SKClipOperation.Intersect, antialias: false);
            DrawCellBodies(canvas, paint, scene, ink);
            canvas.Restore();
            foreach (var nucleus in scene.Nuclei) DrawNucleus(canvas, paint, nucleus, ink, scale);
            if (sigma >= 0.3f) canvas.Restore();
        }
        return ToRgb(bitmap, resolution, scene.NoiseSeed);
    }

    private static void DrawFibres(SKCanvas canvas, SKPaint paint, TissueScene scene, Ink ink)
    {
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeCap = SKStrokeCap.Round;
        foreach (var fibre in scene.Fibres)
        {
            var colour = fibre.Shade >= 1 ? ink.Eosin(Cleft, fibre.Opacity) : ink.Eosin(Mix(Collagen, Stroma, 0.5 + 0.5 * fibre.Shade), fibre.Opacity);
            paint.Color = colour;
            paint.StrokeWidth = (float)fibre.Width;
            using var path = SmoothOpen(fibre.Points);
            canvas.DrawPath(path, paint);
        }
        paint.Style = SKPaintStyle.Fill;
    }

    /// <summary>Fills epithelium and lumen; returns the epithelium outline for clipping.</summary>
    private static SKPath DrawLayers(SKCanvas canvas, SKPaint paint, TissueScene scene, Ink ink)
    {
        // Epithelium: between the basement line (s = 0) and the luminal surface (s = T(t)); the lumen beyond it.
        var basement = new List<SKPoint>();
        var surface = new List<SKPoint>();
        var far = new List<SKPoint>();
        for (double t = -TissueScene.TRange; t <= TissueScene.TRange; t += 3)
        {
            basement.Add(P(scene.Point(t, 0)));
            surface.Add(P(scene.Point(t, scene.ThicknessAt(t))));
            far.Add(P(scene.Point(t, 400)));
        }
        var epithelium = Band(basement, surface);
        using var lumen = Band(surface, far);
        paint.Color = ink.Eosin(Cytoplasm, 1);
        canvas.DrawPath(epithelium, paint);

        // Mottled cytoplasm (slight granularity of real urothelium), clipped to the epithelium.
        canvas.Save();
        canvas.ClipPath(epithelium, SKClipOperation.Intersect, antialias: false);
        var random = new SeededRandom(SeededRandom.Mix((long)scene.NoiseSeed, 7));
        for (int i = 0; i < 160; i++)
        {
            double t = random.Uniform(-TissueScene.TRange, TissueScene.TRange), s = random.Uniform(0, 160);
            var p = P(scene.Point(t, s));
            paint.Color = random.Chance(0.5) ? ink.Eosin((205, 150, 195), 0.22) : ink.Eosin((240, 210, 232), 0.3);
            canvas.DrawCircle(p, (float)random.Uniform(2, 7), paint);
        }
        canvas.Restore();

        paint.Color = ink.Eosin(Lumen, 1);
        canvas.DrawPath(lumen, paint);
        paint.Style = SKPaintStyle.Stroke;
        paint.StrokeWidth = 1.6f;
        paint.Color = ink.Eosin((212, 124, 172), 0.8);
        using (var line = SmoothOpen(basement.ConvertAll(p => ((double)p.X, (double)p.Y)).ToArray())) canvas.DrawPath(line, paint);
        paint.Style = SKPaintStyle.Fill;
        return epithelium;
    }

    /// <summary>
    /// Each epithelial cell's cytoplasm as a slightly varied ellipse around its nucleus with a pale membrane line,
    /// which gives the layer its cellular look; drawn before any nucleus so no nucleus is covered.
    /// </summary>
    private static void DrawCellBodies(SKCanvas canvas, SKPaint paint, TissueScene scene, Ink ink)
    {
        foreach (var n in scene.Nuclei)
        {
            if (n.Kind != NucleusKind.Epithelial) continue;
            var random = new SeededRandom(n.DetailSeed ^ 0x5DEECE66DUL);
            canvas.Save();
            canvas.Translate((float)n.X, (float)n.Y);
            canvas.RotateRadians((float)n.Angle);
            var cell = new SKRect((float)(-1.75 * n.MajorRadius), (float)(-2.1 * n.MinorRadius), (float)(1.75 * n.MajorRadius), (float)(2.1 * n.MinorRadius));
            paint.Color = ink.Eosin(Mix(Cytoplasm, random.Chance(0.5) ? (196, 130, 186) : (232, 190, 222), random.Uniform(0.2, 0.7)), 0.55);
            canvas.DrawOval(cell, paint);
            paint.Style = SKPaintStyle.Stroke;
            paint.StrokeWidth = 0.9f;
            paint.Color = ink.Eosin((240, 208, 230), 0.5);
            canvas.DrawOval(cell, paint);
            paint.Style = SKPaintStyle.Fill;
            canvas.Restore();
        }
    }

    private static void DrawNucleus(SKCanvas canvas, SKPaint paint, Nucleus n, Ink ink, float scale)
    {
        switch (n.Kind)
        {
            case NucleusKind.Mitotic:
                paint.Color = ink.Eosin(Halo, 0.75);
                canvas.DrawOval((float)n.X, (float)n.Y, (float)n.MajorRadius, (float)n.MinorRadius, paint);
                paint.Style = SKPaintStyle.Stroke;
                paint.StrokeCap = SKStrokeCap.Round;
                paint.Color = ink.Haematoxylin(Chromosome, 1);
                foreach (var (x1, y1, x2, y2, width) in n.Chromosomes)
                {
                    paint.StrokeWidth = (float)width;
                    canvas.DrawLine((float)x1, (float)y1, (float)x2, (float)y2, paint);
                }
                paint.Style = SKPaintStyle.Fill;
                return;
            case NucleusKind.Stromal:
            case NucleusKind.Lymphocyte:
                paint.Color = ink.Haematoxylin(Mix(PaleNucleus, DarkNucleus, n.Shade), 1);
                DrawOutline(canvas, paint, n, 1, scale);
                return;
        }

        var interior = Mix(PaleNucleus, DarkNucleus, n.Shade);
        if (n.Nucleoli > 0) interior = Mix(interior, Vesicular, 0.55);   // prominent nucleoli come with open, pale chromatin
        paint.Color = ink.Haematoxylin(Scale(interior, 0.74), 1);          // chromatin condensed on the nuclear membrane
        DrawOutline(canvas, paint, n, 1, scale);
        paint.Color = ink.Haematoxylin(interior, 1);
        DrawOutline(canvas, paint, n, 0.86, scale);

        var random = new SeededRandom(n.DetailSeed);
        double cos = Math.Cos(n.Angle), sin = Math.Sin(n.Angle);
        // Chromatin speckle only where a speck covers a useful part of a pixel: below that it is invisible mush
        // that costs most of the drawing time at 64×64. The speck stream is the nucleus's own, so skipping it
        // changes nothing else.
        int specks = n.MinorRadius * scale >= 2.5 ? 8 + (int)(n.Area / 14) : 0;
        for (int i = 0; i < specks; i++)
        {
            double r = Math.Sqrt(random.NextDouble()) * 0.75, a = random.Uniform(0, 2 * Math.PI);
            double lx = r * n.MajorRadius * Math.Cos(a), ly = r * n.MinorRadius * Math.Sin(a);
            paint.Color = random.Chance(0.6) ? ink.Haematoxylin(Scale(interior, 0.72), 0.55) : ink.Haematoxylin(Mix(interior, (235, 215, 240), 0.4), 0.45);
            canvas.DrawCircle((float)(n.X + lx * cos - ly * sin), (float)(n.Y + lx * sin + ly * cos), (float)random.Uniform(0.7, 1.9), paint);
        }
        for (int i = 0; i < n.Nucleoli; i++)
        {
            double lx = random.Uniform(-0.3, 0.3) * n.MajorRadius, ly = random.Uniform(-0.25, 0.25) * n.MinorRadius;
            double radius = Math.Max(2.4, 0.32 * n.MinorRadius) * (i == 0 ? 1 : 0.75);
            paint.Color = ink.Haematoxylin(Nucleolus, 1);
            canvas.DrawCircle((float)(n.X + lx * cos - ly * sin), (float)(n.Y + lx * sin + ly * cos), (float)radius, paint);
        }
    }

    /// <summary>
    /// Fills the nucleus outline. Below 4 px of long radius the outline's wobble moves edges by well under a pixel,
    /// so a rotated ellipse is drawn instead of the path (ten times cheaper, which matters at 64×64).
    /// </summary>
    private static void DrawOutline(SKCanvas canvas, SKPaint paint, Nucleus n, double shrink, float scale)
    {
        if (n.MajorRadius * scale >= 4)
        {
            using var path = Outline(n, shrink);
            canvas.DrawPath(path, paint);
            return;
        }
        canvas.Save();
        canvas.Translate((float)n.X, (float)n.Y);
        canvas.RotateRadians((float)n.Angle);
        float a = (float)(shrink * n.MajorRadius), b = (float)(shrink * n.MinorRadius);
        canvas.DrawOval(new SKRect(-a, -b, a, b), paint);
        canvas.Restore();
    }

    /// <summary>The nucleus outline: an ellipse whose radius wobbles by the pleomorphism harmonics, smoothed.</summary>
    private static SKPath Outline(Nucleus n, double shrink)
    {
        const int Points = 28;
        var points = new (double X, double Y)[Points];
        double cos = Math.Cos(n.Angle), sin = Math.Sin(n.Angle);
        for (int i = 0; i < Points; i++)
        {
            double a = 2 * Math.PI * i / Points, wobble = 1;
            for (int k = 0; k < n.Harmonics.Count; k++) wobble += n.Harmonics[k].Amplitude * Math.Cos((k + 2) * a + n.Harmonics[k].Phase);
            double lx = shrink * wobble * n.MajorRadius * Math.Cos(a), ly = shrink * wobble * n.MinorRadius * Math.Sin(a);
            points[i] = (n.X + lx * cos - ly * sin, n.Y + lx * sin + ly * cos);
        }
        var path = new SKPath();
        // Quadratic segments through the midpoints give a smooth closed curve through the control polygon.
        var start = Mid(points[Points - 1], points[0]);
        path.MoveTo(start);
        for (int i = 0; i < Points; i++) path.QuadTo(P(points[i]), Mid(points[i], points[(i + 1) % Points]));
        path.Close();
        return path;
    }

    private static SKPath SmoothOpen((double X, double Y)[] points)
    {
        var path = new SKPath();
        path.MoveTo(P(points[0]));
        for (int i = 1; i < points.Length - 1; i++) path.QuadTo(P(points[i]), Mid(points[i], points[i + 1]));
        path.LineTo(P(points[^1]));
        return path;
    }

    private static SKPath Band(List<SKPoint> near, List<SKPoint> far)
    {
        var path = new SKPath();
        path.MoveTo(near[0]);
        for (int i = 1; i < near.Count; i++) path.LineTo(near[i]);
        for (int i = far.Count - 1; i >= 0; i--) path.LineTo(far[i]);
        path.Close();
        return path;
    }

    /// <summary>Copies the opaque canvas out as RGB and adds faint per-pixel noise (camera grain), deterministic per scene.</summary>
    private static byte[] ToRgb(SKBitmap bitmap, int resolution, ulong noiseSeed)
    {
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[resolution * resolution * 3];
        var random = new SeededRandom(SeededRandom.Mix((long)noiseSeed, 11));
        for (int i = 0, j = 0; i < rgb.Length; i += 3, j += 4)
        {
            ulong bits = random.NextUInt64();
            int grain = (int)(bits & 7) - 3;
            for (int c = 0; c < 3; c++)
            {
                int jitter = (int)((bits >> (8 + 8 * c)) & 3) - 1;
                rgb[i + c] = (byte)Math.Clamp(rgba[j + c] + grain + jitter, 0, 255);
            }
        }
        return rgb;
    }

    private static SKPoint P((double X, double Y) p) => new((float)p.X, (float)p.Y);

    private static SKPoint Mid((double X, double Y) a, (double X, double Y) b) => new((float)((a.X + b.X) / 2), (float)((a.Y + b.Y) / 2));

    private static (double R, double G, double B) Mix((double R, double G, double B) a, (double R, double G, double B) b, double t) =>
        (a.R + (b.R - a.R) * t, a.G + (b.G - a.G) * t, a.B + (b.B - a.B) * t);

    private static (double R, double G, double B) Scale((double R, double G, double B) c, double f) => (c.R * f, c.G * f, c.B * f);

    /// <summary>Per-image stain strength: absorbance (255 − value) scaled per dye, as real staining batches vary.</summary>
    private readonly record struct Ink(double H, double E)
    {
        public SKColor Haematoxylin((double R, double G, double B) c, double alpha) => Colour(c, H, alpha);

        public SKColor Eosin((double R, double G, double B) c, double alpha) => Colour(c, E, alpha);

        private static SKColor Colour((double R, double G, double B) c, double strength, double alpha) => new(
            Channel(c.R, strength), Channel(c.G, strength), Channel(c.B, strength), (byte)Math.Round(255 * Math.Clamp(alpha, 0, 1)));

        private static byte Channel(double value, double strength) => (byte)Math.Round(Math.Clamp(255 - (255 - value) * strength, 0, 255));
    }
}
