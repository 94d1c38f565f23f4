using AttributeGan.Runtime.IO;
using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AttributeGan.Runtime.Training;

namespace AttributeGan.Runtime.Checkpoints;

/// <summary>What a checkpoint says about itself, readable without loading any weights.</summary>
public sealed record CheckpointHeader(int FormatVersion, string SpecName, string SpecHash, long Step, int Seed, string OptionsIdentity, DateTime CreatedUtc);

/// <summary>
/// One checkpoint file: a magic number, a JSON header, then the generator, discriminator, EMA generator and both
/// Adam states in TorchSharp's own formats, then an end marker. The RNG state is fully determined by (seed, step):
/// every random draw of step n is seeded from them, so seed and step restore it exactly.
/// </summary>
public static class CheckpointFile
{
    public const int FormatVersion = 1;
    private static readonly byte[] Magic = Encoding.ASCII.GetBytes("AGANCKPT");
    private static readonly byte[] EndMarker = Encoding.ASCII.GetBytes("AGAN-END");

    public static void Write(string path, GanTrainingState state, int seed, string optionsIdentity)
    {
        var header = new CheckpointHeader(FormatVersion, state.Spec.Name, state.Spec.SpecHash, state.Step, seed, optionsIdentity, DateTime.UtcNow);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write(Magic);
            writer.Write(JsonSerializer.Serialize(header));
            state.Generator.save(writer);
            state.Discriminator.save(writer);
            state.Ema.Generator.save(writer);
            state.GeneratorOptimizer.save_state_dict(writer);
            state.DiscriminatorOptimizer.save_state_dict(writer);
            writer.Write(EndMarker);
            writer.Flush();
        });
    }

    /// <summary>
    /// Loads the newest checkpoint of <paramref name="run"/> that loads: a damaged newest one (a crash or a full disk
    /// mid-write) is reported to <paramref name="skipped"/> and the one before is tried. Any other refusal propagates.
    /// </summary>
    /// <returns>The loaded file, or null when the run has no checkpoint.</returns>
    public static string? LoadNewest(RunDirectory run, GanTrainingState state, Action<string, CheckpointException> skipped)
    {
        foreach (var (_, path) in run.Checkpoints().Reverse())
        {
            try
            {
                Load(path, state);
                return path;
            }
            catch (CheckpointException e) when (e.Damaged)
            {
                skipped(path, e);
            }
        }

        return null;
    }

    public static CheckpointHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        return ReadHeader(reader, path);
    }

    /// <summary>Loads weights and optimiser states into <paramref name="state"/>, refusing another spec's checkpoint.</summary>
    public static CheckpointHeader Load(string path, GanTrainingState state)
    {
        using var stream = OpenRead(path);
        using var reader = new BinaryReader(stream, Encoding.UTF8);
        var header = ReadHeader(reader, path);
        if (header.SpecName != state.Spec.Name || header.SpecHash != state.Spec.SpecHash)
            throw new CheckpointException(
                $"{path} holds '{header.SpecName}' (spec hash {header.SpecHash}), not '{state.Spec.Name}' (spec hash {state.Spec.SpecHash}); " +
                "load it with the spec it was trained with, or train into a new run directory.");
        try
        {
            state.Generator.load(reader);
            state.Discriminator.load(reader);
            state.Ema.Generator.load(reader);
            state.GeneratorOptimizer.load_state_dict(reader);
            state.DiscriminatorOptimizer.load_state_dict(reader);
            var end = reader.ReadBytes(EndMarker.Length);
            if (!end.AsSpan().SequenceEqual(EndMarker)) throw new EndOfStreamException("the end marker is missing");
        }
        catch (Exception e) when (e is EndOfStreamException or IOException or ArgumentException or InvalidOperationException)
        {
            throw new CheckpointException($"{path} is damaged or incomplete ({e.Message}); an earlier checkpoint of the run may still load.", e, damaged: true);
        }

        state.Step = header.Step;
        return header;
    }

    private static FileStream OpenRead(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            throw new CheckpointException($"Cannot open the checkpoint {path}: {e.Message}", e);
        }
    }

    private static CheckpointHeader ReadHeader(BinaryReader reader, string path)
    {
        try
        {
            var magic = reader.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic)) throw new CheckpointException($"{path} is not an AttributeGan checkpoint (wrong magic number).", damaged: true);
            var header = JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString())
                         ?? throw new CheckpointException($"{path} has an empty header.");
            if (header.FormatVersion != FormatVersion)
                throw new CheckpointException($"{path} has checkpoint format {header.FormatVersion}; this version reads format {FormatVersion}.");
            return header;
        }
        catch (Exception e) when (e is EndOfStreamException or JsonException or IOException)
        {
            throw new CheckpointException($"{path} is damaged or incomplete ({e.Message}).", e, damaged: true);
        }
    }
}
