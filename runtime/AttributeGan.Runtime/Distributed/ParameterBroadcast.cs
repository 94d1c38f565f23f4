using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>Makes every rank's copy of a module identical to one rank's before data-parallel training starts.</summary>
public static class ParameterBroadcast
{
    /// <summary>
    /// Overwrites every parameter and buffer of <paramref name="module"/> (state_dict order, which is the same on every
    /// rank for the same module type) with its value on <paramref name="root"/>. First checks that all ranks hold the
    /// same entries with the same shapes and types, so a mismatch is an error naming both ranks rather than a hang or
    /// silently scrambled weights.
    /// </summary>
    public static void FromRoot(ICollectives collectives, nn.Module module, int root = 0)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        ArgumentNullException.ThrowIfNull(module);
        if (collectives.WorldSize == 1) return;

        var entries = module.state_dict();
        var layout = string.Join("\n", entries.Select(e => $"{e.Key} {e.Value.dtype} [{string.Join(",", e.Value.shape)}]"));
        var layouts = collectives.AllGatherText(layout);
        for (var r = 0; r < layouts.Length; r++)
        {
            if (layouts[r] != layout)
                throw new InvalidOperationException($"Rank {collectives.Rank} and rank {r} hold different modules: {FirstDifference(layout, layouts[r])}.");
        }

        using var noGrad = torch.no_grad();
        foreach (var (_, tensor) in entries) collectives.Broadcast(tensor, root);
    }

    private static string FirstDifference(string mine, string theirs)
    {
        var a = mine.Split('\n');
        var b = theirs.Split('\n');
        for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
        {
            if (a[i] != b[i]) return $"entry {i} is '{a[i]}' here and '{b[i]}' there";
        }

        return $"{a.Length} entries here, {b.Length} there";
    }
}
