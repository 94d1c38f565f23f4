using System;
using System.Collections.Generic;
using System.CommandLine;

namespace AttributeGan.Cli.Commands;

/// <summary>Options shared by the commands that read a trained run.</summary>
internal static class RunOptions
{
    public static Option<string> Run() => new("--run", "-r") { Description = "Run directory written by 'attributegan train'.", Required = true };

    /// <summary>
    /// The checkpoint to read instead of the newest: a learning curve's earlier point. Not <c>--step</c>, which
    /// interpolate's frame count would be confused with.
    /// </summary>
    public static Option<long?> AtStep() => new("--at-step")
    {
        Description = "Read the run's checkpoint of this step instead of its newest (the steps a run keeps are its checkpoints/ files; train --keep keeps more).",
    };

    public static Option<string> Device() => new("--device") { Description = "cpu or cuda.", DefaultValueFactory = _ => "cpu" };

    public static Option<string[]> Fix() => new("--fix")
    {
        Description = "Levels of the other attributes, e.g. --fix mitosis=frequent nucleoli=prominent (default: the most frequent combination's levels).",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>"name=level" pairs → dictionary; a malformed pair is a user error naming it.</summary>
    public static IReadOnlyDictionary<string, string>? ParseFix(string[]? pairs)
    {
        if (pairs is null || pairs.Length == 0) return null;
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0 || equals == pair.Length - 1) throw new UserError($"--fix takes attribute=level pairs; '{pair}' is not one (e.g. mitosis=frequent).");
            result[pair[..equals]] = pair[(equals + 1)..];
        }

        return result;
    }
}
