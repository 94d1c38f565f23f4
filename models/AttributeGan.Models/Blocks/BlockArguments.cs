using System;
using System.Runtime.CompilerServices;

namespace AttributeGan.Models.Blocks;

/// <summary>Constructor-argument checks shared by the building blocks.</summary>
internal static class BlockArguments
{
    public static void Positive(long value, string owner, [CallerArgumentExpression(nameof(value))] string name = "")
    {
        if (value <= 0)
        {
            throw new ArgumentException($"{owner}: {name} must be positive, got {value}.", name);
        }
    }

    public static void Defined(NormKind norm, string owner, [CallerArgumentExpression(nameof(norm))] string name = "")
    {
        if (!Enum.IsDefined(norm))
        {
            throw new ArgumentException($"{owner}: {name} must be NormKind.None, NormKind.Batch or NormKind.LocalBatch, got {(int)norm}.", name);
        }
    }

    /// <summary>The batch norm a <paramref name="norm"/> asks for after a bias-free convolution, or null for <see cref="NormKind.None"/>.</summary>
    public static SynchronisedBatchNorm2d? BatchNorm(NormKind norm, long channels) => norm switch
    {
        NormKind.Batch => new SynchronisedBatchNorm2d(channels, synchronise: true),
        NormKind.LocalBatch => new SynchronisedBatchNorm2d(channels, synchronise: false),
        _ => null,
    };
}
