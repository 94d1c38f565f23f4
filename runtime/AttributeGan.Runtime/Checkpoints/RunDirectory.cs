using AttributeGan.Runtime.IO;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using AttributeGan.Runtime.Numerics;

namespace AttributeGan.Runtime.Checkpoints;

/// <summary>
/// The layout of a run directory: run.json, checkpoints/, samples/, logs/ (TensorBoard), losses.csv,
/// loss-curve.png and a README.txt that explains them to whoever opens the folder.
/// </summary>
public sealed class RunDirectory
{
    public RunDirectory(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string Manifest => Path.Combine(Root, "run.json");

    public string CheckpointsFolder => Path.Combine(Root, "checkpoints");

    public string SamplesFolder => Path.Combine(Root, "samples");

    public string LogsFolder => Path.Combine(Root, "logs");

    public string LossTable => Path.Combine(Root, "losses.csv");

    public string LossCurve => Path.Combine(Root, "loss-curve.png");

    public string SpreadCurve => Path.Combine(Root, "spread-curve.png");

    public bool HasManifest => File.Exists(Manifest);

    public string CheckpointPath(long step) => Path.Combine(CheckpointsFolder, string.Create(CultureInfo.InvariantCulture, $"step-{step:D8}.ckpt"));

    public string SamplePath(string name) => Path.Combine(SamplesFolder, name);

    public void Create()
    {
        Directory.CreateDirectory(Root);
        Directory.CreateDirectory(CheckpointsFolder);
        Directory.CreateDirectory(SamplesFolder);
        Directory.CreateDirectory(LogsFolder);
    }

    /// <summary>Completed checkpoints, oldest first (temporary files of an interrupted write are ignored).</summary>
    public IReadOnlyList<(long Step, string Path)> Checkpoints()
    {
        if (!Directory.Exists(CheckpointsFolder)) return Array.Empty<(long, string)>();
        return Directory.GetFiles(CheckpointsFolder, "step-*.ckpt")
            .Select(path => (Parsed: long.TryParse(Path.GetFileNameWithoutExtension(path).AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long step), Step: step, Path: path))
            .Where(x => x.Parsed)
            .OrderBy(x => x.Step)
            .Select(x => (x.Step, x.Path))
            .ToList();
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> checkpoints.</summary>
    public void Prune(int keep)
    {
        var all = Checkpoints();
        foreach (var (_, path) in all.Take(Math.Max(0, all.Count - keep))) File.Delete(path);
    }

    /// <param name="numerics">The numerics checks of the run's starts; the newest is described.</param>
    public void WriteReadme(string specName, IReadOnlyList<NumericsRecord> numerics)
    {
        var latest = numerics.Count == 0 ? null : numerics[^1];
        var numericsLine = latest is null
            ? "not recorded"
            : $"{latest.CheckedUtc:yyyy-MM-dd HH:mm} UTC, {(latest.Passed ? "passed" : "FAILED")}, oneDNN {latest.OneDnn}: {latest.Summary}";
        var text = $"""
            AttributeGan training run of the model {specName}.

            run.json          the spec (name, hash, resolved text) and the training settings of this run
            checkpoints/      step-NNNNNNNN.ckpt: generator, discriminator, EMA generator, both Adam states, step;
                              written atomically, the newest few kept. Training into this folder again resumes.
            samples/          step-NNNNNNNN.png: one row per level of an attribute, one noise vector per column (EMA generator);
                              final-<attribute>.png at the end, one grid per attribute
            logs/             TensorBoard event files (tensorboard --logdir logs)
            losses.csv        every step's losses and images/s; every 50th step (--monitor-every) the collapse monitor's
                              noise_spread and attribute_spread: how much a fixed probe grid of the EMA generator varies
                              across its noise vectors and across the first attribute's levels (pixels in [0, 1])
            loss-curve.png    the losses over the run
            spread-curve.png  the two spreads over the run; a noise spread near 0 means the samples ignore the noise.
                              Training warns when it falls below a quarter of its early value, or when after step
                              1,000 it stays below 65 % of the real images' (the output's "diversity probe" line)

            Numerics:     before each start, every block of both networks is compared with its float64 reference on this
                          machine's kernels (run.json, NumericsChecks). Latest: {numericsLine}

            Sample:       attributegan sample --run {Root} --vary <attribute> --out grid.png
            Interpolate:  attributegan interpolate --run {Root} --attribute <attribute> --from <level> --to <level> --out walk.gif
            """;
        AtomicFile.WriteAllText(Path.Combine(Root, "README.txt"), text + Environment.NewLine);
    }
}
