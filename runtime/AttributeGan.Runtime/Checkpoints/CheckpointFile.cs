using System;
using System.Linq;
using AttributeGan.Runtime.IO;
using AttributeGan.Runtime.Training;

namespace AttributeGan.Runtime.Checkpoints;

/// <summary>What a checkpoint says about itself, readable without loading any weights.</summary>
public sealed record CheckpointHeader(int FormatVersion, string SpecName, string SpecHash, long Step, int Seed, string OptionsIdentity, DateTime CreatedUtc)
    : IFramedFileHeader;

/// <summary>
/// One checkpoint file (a <see cref="FramedFileFormat{THeader}"/>: magic number, JSON header, body, end marker) whose
/// body is the generator, discriminator, EMA generator and both Adam states in TorchSharp's own formats. The RNG state
/// is fully determined by (seed, step): every random draw of step n is seeded from them, so seed and step restore it exactly.
/// </summary>
public static class CheckpointFile
{
    public const int FormatVersion = 1;
    private static readonly CheckpointFormat Format = new();

    public static void Write(string path, GanTrainingState state, int seed, string optionsIdentity)
    {
        var header = new CheckpointHeader(FormatVersion, state.Spec.Name, state.Spec.SpecHash, state.Step, seed, optionsIdentity, DateTime.UtcNow);
        Format.Write(path, header, writer =>
        {
            state.Generator.save(writer);
            state.Discriminator.save(writer);
            state.Ema.Generator.save(writer);
            state.GeneratorOptimizer.save_state_dict(writer);
            state.DiscriminatorOptimizer.save_state_dict(writer);
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

    public static CheckpointHeader ReadHeader(string path) => Format.ReadHeader(path);

    /// <summary>Loads weights and optimiser states into <paramref name="state"/>, refusing another spec's checkpoint.</summary>
    public static CheckpointHeader Load(string path, GanTrainingState state)
    {
        var header = Format.Read(path, found =>
        {
            if (found.SpecName != state.Spec.Name || found.SpecHash != state.Spec.SpecHash)
                throw new CheckpointException(
                    $"{path} holds '{found.SpecName}' (spec hash {found.SpecHash}), not '{state.Spec.Name}' (spec hash {state.Spec.SpecHash}); " +
                    "load it with the spec it was trained with, or train into a new run directory.");
            return found;
        }, (_, reader) =>
        {
            state.Generator.load(reader);
            state.Discriminator.load(reader);
            state.Ema.Generator.load(reader);
            state.GeneratorOptimizer.load_state_dict(reader);
            state.DiscriminatorOptimizer.load_state_dict(reader);
        });
        state.Step = header.Step;
        return header;
    }

    /// <summary>The checkpoint's magic number and version, and its errors: a damaged file may be skipped for an older one.</summary>
    private sealed class CheckpointFormat() : FramedFileFormat<CheckpointHeader>("AGANCKPT", CheckpointFile.FormatVersion)
    {
        protected override Exception CannotOpen(string path, Exception cause) =>
            new CheckpointException($"Cannot open the checkpoint {path}: {cause.Message}", cause);

        protected override Exception WrongMagic(string path) =>
            new CheckpointException($"{path} is not an AttributeGan checkpoint (wrong magic number).", damaged: true);

        protected override Exception EmptyHeader(string path) => new CheckpointException($"{path} has an empty header.");

        protected override Exception UnsupportedVersion(string path, int version) =>
            new CheckpointException($"{path} has checkpoint format {version}; this version reads format {FormatVersion}.");

        protected override Exception DamagedHeader(string path, Exception cause) =>
            new CheckpointException($"{path} is damaged or incomplete ({cause.Message}).", cause, damaged: true);

        protected override Exception DamagedBody(string path, Exception cause) =>
            new CheckpointException($"{path} is damaged or incomplete ({cause.Message}); an earlier checkpoint of the run may still load.", cause, damaged: true);
    }
}
