using System;
using System.Collections.Concurrent;
using TorchSharp;

namespace AttributeGan.Models.Numerics;

/// <summary>
/// Scalars that live for the whole process, for tensor arithmetic with numbers.
/// </summary>
/// <remarks>
/// TorchSharp frees a <see cref="Scalar"/>'s native value in its finalizer and hands libtorch only the native handle. A
/// temporary Scalar (an implicit conversion such as <c>x.clamp(-1, 1)</c>, or one an operator makes inside, such as
/// <c>a + b</c>, which is <c>add(b, alpha: 1)</c>) is unreachable as soon as its handle is read, so a garbage collection
/// started by another thread during the native call can free it while libtorch reads it: "Expected false to be true …
/// toFloat", or a wrong number (docs/results/scalar-lifetime.md). These are rooted by static fields and never freed.
/// A number that changes from step to step is held for the call instead: <c>using var decay = d.ToScalar();</c>.
/// The ScalarLifetime analyzer (AGS001–AGS003) flags every other way a Scalar is made in tensor code.
/// </remarks>
public static class Scalars
{
    /// <summary>Integer 1, the <c>alpha</c> that <c>a + b</c> passes: <c>a.add(b, Scalars.One)</c> is <c>a + b</c>, bit for bit.</summary>
    public static readonly Scalar One = 1.ToScalar();

    /// <summary>Integer 0.</summary>
    public static readonly Scalar Zero = 0.ToScalar();

    /// <summary>Integer −1.</summary>
    public static readonly Scalar MinusOne = (-1).ToScalar();

    // Bounded: a program that asks for ever new numbers (a per-step value) is using the wrong tool, and is told so.
    private const int MaximumCached = 4096;
    private static readonly ConcurrentDictionary<long, Scalar> Doubles = new();   // by bit pattern: −0.0 is not 0.0
    private static readonly ConcurrentDictionary<long, Scalar> Integers = new();

    /// <summary>
    /// A process-lifetime Scalar holding the double <paramref name="value"/> (the same Scalar for the same value), as
    /// the implicit conversion from <see cref="double"/> would make: for constants in code and settings read once.
    /// </summary>
    public static Scalar Of(double value) => Cached(Doubles, BitConverter.DoubleToInt64Bits(value), static bits => BitConverter.Int64BitsToDouble(bits).ToScalar());

    /// <summary>A process-lifetime Scalar holding the 64-bit integer <paramref name="value"/>, as the implicit conversion from <see cref="long"/> would make.</summary>
    public static Scalar Of(long value) => Cached(Integers, value, static v => v.ToScalar());

    private static Scalar Cached<T>(ConcurrentDictionary<T, Scalar> cache, T value, Func<T, Scalar> create) where T : notnull
    {
        if (cache.TryGetValue(value, out var known)) return known;
        if (cache.Count >= MaximumCached)
        {
            throw new InvalidOperationException(
                $"Scalars.Of has cached {MaximumCached} distinct numbers: it is for constants. Hold a number that changes every " +
                "step for the call instead (using var s = value.ToScalar();).");
        }
        // A race may create two for one value; the loser is disposed, never handed out.
        var made = create(value);
        var kept = cache.GetOrAdd(value, made);
        if (!ReferenceEquals(kept, made)) made.Dispose();
        return kept;
    }
}
