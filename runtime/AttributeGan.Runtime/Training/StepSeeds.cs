namespace AttributeGan.Runtime.Training;

/// <summary>
/// Seeds derived from (run seed, step, rank, stream) with SplitMix64, so every random draw of step n is
/// reproducible from those numbers alone: resuming needs no saved RNG state, and ranks draw independent noise.
/// </summary>
public static class StepSeeds
{
    public const int NoiseForDiscriminator = 1;
    public const int NoiseForGenerator = 2;
    public const int Quadrant = 3;
    public const int Samples = 4;

    public static long For(int seed, long step, int rank, int stream)
    {
        ulong state = (ulong)(uint)seed;
        state = Mix(state ^ (ulong)step);
        state = Mix(state ^ ((ulong)(uint)rank << 32));
        state = Mix(state ^ (ulong)(uint)stream);
        return (long)(state >> 1);
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
