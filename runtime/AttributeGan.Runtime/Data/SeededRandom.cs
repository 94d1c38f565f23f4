using System;

namespace AttributeGan.Runtime.Data;

/// <summary>
/// A small explicit pseudo-random generator (SplitMix64) for everything in the data pipeline. It exists instead of
/// <see cref="System.Random"/> or <c>torch.manual_seed</c> because batches, drawings and augmentations must be a pure
/// function of (seed, index, …) on every thread and every .NET version: no global state, no shared instance, and a
/// stream algorithm we own. <see cref="Mix"/> derives independent seeds from tuples such as (seed, epoch).
/// </summary>
public sealed class SeededRandom
{
    private ulong state;
    private double? spareGaussian;

    public SeededRandom(ulong seed) => state = seed;

    /// <summary>A seed derived from several parts; different tuples give unrelated streams.</summary>
    public static ulong Mix(params long[] parts)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (long part in parts) h = Finalise(h ^ Finalise((ulong)part + 0x632BE59BD9B4E019UL));
        return h;
    }

    public ulong NextUInt64()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Finalise(state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [min, max).</summary>
    public double Uniform(double min, double max) => min + (max - min) * NextDouble();

    /// <summary>Uniform integer in [0, count), without modulo bias (Lemire's multiply-shift with rejection).</summary>
    public int NextInt(int count)
    {
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "Need a positive count.");
        ulong bound = (ulong)count;
        ulong threshold = (0UL - bound) % bound;
        while (true)
        {
            ulong product = Math.BigMul(NextUInt64(), bound, out ulong low);
            if (low >= threshold) return (int)product;
        }
    }

    public bool Chance(double probability) => NextDouble() < probability;

    /// <summary>Standard normal (Marsaglia's polar method; the second value is kept for the next call).</summary>
    public double NextGaussian()
    {
        if (spareGaussian is double spare)
        {
            spareGaussian = null;
            return spare;
        }
        double u, v, s;
        do
        {
            u = 2 * NextDouble() - 1;
            v = 2 * NextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double factor = Math.Sqrt(-2 * Math.Log(s) / s);
        spareGaussian = v * factor;
        return u * factor;
    }

    public double Gaussian(double mean, double deviation) => mean + deviation * NextGaussian();

    /// <summary>Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 use the boost Gamma(a+1)·U^(1/a).</summary>
    public double NextGamma(double shape)
    {
        if (!(shape > 0)) throw new ArgumentOutOfRangeException(nameof(shape), shape, "Gamma needs a positive shape.");
        if (shape < 1) return NextGamma(shape + 1) * Math.Pow(1 - NextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = NextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = 1 - NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }

    /// <summary>Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).</summary>
    public double NextBeta(double a, double b)
    {
        double x = NextGamma(a), y = NextGamma(b);
        return x / (x + y);
    }

    /// <summary>Poisson(λ) by Knuth's product method; the data pipeline only needs small λ.</summary>
    public int NextPoisson(double lambda)
    {
        if (lambda <= 0) return 0;
        if (lambda > 60) return Math.Max(0, (int)Math.Round(Gaussian(lambda, Math.Sqrt(lambda))));
        double limit = Math.Exp(-lambda), product = NextDouble();
        int count = 0;
        while (product > limit)
        {
            count++;
            product *= NextDouble();
        }
        return count;
    }

    /// <summary>An in-place Fisher–Yates shuffle.</summary>
    public void Shuffle(int[] values)
    {
        for (int i = values.Length - 1; i > 0; i--)
        {
            int j = NextInt(i + 1);
            (values[i], values[j]) = (values[j], values[i]);
        }
    }

    private static ulong Finalise(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
