using System;

namespace AttributeGan.Runtime.Checkpoints;

/// <summary>A checkpoint or run directory that cannot be used; the message names the file and what to do.</summary>
public sealed class CheckpointException(string message, Exception? inner = null) : Exception(message, inner)
{
}
