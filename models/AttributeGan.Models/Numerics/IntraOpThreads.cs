using System;
using TorchSharp;

namespace AttributeGan.Models.Numerics;

/// <summary>Runs code at a given libtorch intra-op thread count and restores the previous count after it.</summary>
/// <remarks>Some backend defects appear only with several threads (races) and others only with one; checks run at both.</remarks>
public static class IntraOpThreads
{
    public static T With<T>(int threads, Func<T> action)
    {
        if (threads < 1) throw new ArgumentOutOfRangeException(nameof(threads), threads, "At least one thread.");
        int before = torch.get_num_threads();
        torch.set_num_threads(threads);
        try
        {
            return action();
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }
}
