namespace AttributeGan.Runtime.Training;

/// <summary>
/// Seeds derived from (run seed, step, index, stream) with SplitMix64, so every random draw of step n is
/// reproducible from those numbers alone: resuming needs no saved RNG state. The index is a sample's position in
/// the global batch (0 for draws that concern the whole batch), never a rank: each rank draws its own samples'
/// noise, and splitting the batch over a different number of ranks changes nothing.
/// </summary>
public static class StepSeeds
{
    public const int NoiseForDiscriminator = 1;
    public const int NoiseForGenerator = 2;
    public const int Quadrant = 3;
    public const int Samples = 4;
    public const int AugmentRealForDiscriminator = 5;
    public const int AugmentFakeForDiscriminator = 6;
    public const int AugmentFakeForGenerator = 7;

    public static long For(int seed, long step, int index, int stream)
    {
        ulong state = (ulong)(uint)seed;
        state = Mix(state ^ (ulong)step);
        state = Mix(state ^ ((ulong)(uint)index << 32));
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
