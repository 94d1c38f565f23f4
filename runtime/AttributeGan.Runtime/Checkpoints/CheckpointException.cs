using System;

namespace AttributeGan.Runtime.Checkpoints;

/// <summary>A checkpoint or run directory that cannot be used; the message names the file and what to do.</summary>
/// <param name="Damaged">The file is truncated or corrupt (a crash mid-write): an older checkpoint may stand in for it.
/// A checkpoint of another spec is not damaged and must never be skipped silently.</param>
public sealed class CheckpointException(string message, Exception? inner = null, bool damaged = false) : UserInputException(message, inner)
{
    public bool Damaged { get; } = damaged;
}
