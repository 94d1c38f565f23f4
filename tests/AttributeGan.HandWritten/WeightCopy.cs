using System;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.HandWritten;

/// <summary>Copies parameters and buffers between a generated network and its hand-written twin, matched by name.</summary>
public static class WeightCopy
{
    /// <summary>A state-dict key with module boundaries flattened: <c>stage8.conv.weight</c> and <c>stage8_conv.weight</c> both give <c>stage8_conv_weight</c>.</summary>
    public static string Flat(string key) => key.Replace('.', '_');

    /// <summary>
    /// Copies every entry of <paramref name="from"/>'s state dict into the entry of <paramref name="to"/> with the same
    /// flattened name; throws when the two do not hold exactly the same names and shapes.
    /// </summary>
    public static void Copy(nn.Module from, nn.Module to)
    {
        var source = from.state_dict().ToDictionary(p => Flat(p.Key), p => p.Value);
        var target = to.state_dict().ToDictionary(p => Flat(p.Key), p => p.Value);
        var missing = source.Keys.Except(target.Keys).Concat(target.Keys.Except(source.Keys)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException("State dicts differ in: " + string.Join(", ", missing));
        using var noGrad = no_grad();
        foreach (var (name, value) in source)
        {
            var destination = target[name];
            if (!destination.shape.SequenceEqual(value.shape))
                throw new InvalidOperationException($"{name}: ({string.Join(", ", value.shape)}) vs ({string.Join(", ", destination.shape)}).");
            destination.copy_(value);
        }
    }
}
