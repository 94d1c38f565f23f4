using System;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using AttributeGan.Models;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.Training;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// Start-up checks that every rank of a data-parallel run trains the same thing: ranks exchange a fingerprint of
/// their spec, settings and data, and later the checkpoint they resumed from. Different builds, spec files, data
/// folders or command lines on different ranks would otherwise train silently wrong.
/// </summary>
public static class RankAgreement
{
    /// <summary>Refuses (on every rank, naming the ranks that differ) unless all ranks have the same spec, options and data.</summary>
    public static void Require(ICollectives collectives, IGanSpec spec, TrainOptions options, DataSet data)
    {
        if (collectives.WorldSize == 1) return;
        Compare(collectives, "spec", $"{spec.Name} (spec hash {spec.SpecHash})");
        Compare(collectives, "settings", options.Identity);
        Compare(collectives, "data", $"{data.Count} samples in {data.CombinationCount} combinations, fingerprint {Fingerprint(data)}");
    }

    /// <summary>Refuses unless every rank resumed from the same checkpoint at the same step (or all start fresh).</summary>
    public static void RequireSameStart(ICollectives collectives, long step, string? checkpoint)
    {
        if (collectives.WorldSize == 1) return;
        Compare(collectives, "starting checkpoint", $"step {step} from {checkpoint ?? "a fresh start"}");
    }

    /// <summary>SHA-256 over every sample's source, levels and label, in order: the same data in the same order.</summary>
    public static string Fingerprint(DataSet data)
    {
        var text = new StringBuilder();
        foreach (var sample in data.Samples)
            text.Append(sample.Source).Append('|').AppendJoin(',', sample.Levels).Append('|').Append(sample.Label).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }

    private static void Compare(ICollectives collectives, string what, string mine)
    {
        var all = collectives.AllGatherText(mine);
        var differing = Enumerable.Range(0, all.Length).Where(r => all[r] != all[0]).ToArray();
        if (differing.Length == 0) return;
        throw new DistributedMismatchException(
            $"The ranks of this data-parallel run disagree on the {what}: rank 0 has {all[0]}, " +
            string.Join("; ", differing.Select(r => $"rank {r} has {all[r]}")) +
            ". Start every rank with the same build, spec files, data folder and command line.");
    }
}

/// <summary>Ranks of one run were started with different specs, settings, data or checkpoints.</summary>
public sealed class DistributedMismatchException(string message) : UserInputException(message);
