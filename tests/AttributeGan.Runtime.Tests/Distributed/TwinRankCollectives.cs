using System;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>
/// Rank 0 of a pretend group of two whose other rank always holds the same tensors: a sum doubles, so an average is
/// exact. Non-blocking sums complete only in Wait (Test never finishes them), which exposes any reader that does
/// not wait. Lets the gradient bucketing run in-process, without MPI.
/// </summary>
internal sealed class TwinRankCollectives : ICollectives
{
    public int Rank => 0;

    public int WorldSize => 2;

    public string Description => "twin ranks (test)";

    public int Duplicates { get; private set; }

    public int StartedReductions { get; private set; }

    /// <summary>When set, StartAllReduceSum throws it (an engine failure inside backward).</summary>
    public Exception? FailStart { get; set; }

    public void AllReduceSum(Tensor tensor)
    {
        using var noGrad = torch.no_grad();
        tensor.mul_(2);
    }

    public IPendingReduction StartAllReduceSum(Tensor tensor)
    {
        if (FailStart is not null) throw FailStart;
        StartedReductions++;
        return new Pending(tensor);
    }

    public void Broadcast(Tensor tensor, int root = 0)
    {
    }

    public Tensor AllGather(Tensor tensor) => torch.cat(new[] { tensor, tensor }, 0);

    public string[] AllGatherText(string text) => new[] { text, text };

    public void Barrier()
    {
    }

    public void Abort(int exitCode, string message) => throw new AbortedException(exitCode, message);

    public ICollectives Duplicate()
    {
        Duplicates++;
        return this;
    }

    public void Dispose()
    {
    }

    private sealed class Pending : IPendingReduction
    {
        private readonly Tensor _tensor;
        private bool _done;

        public Pending(Tensor tensor) => _tensor = tensor;

        public bool Test() => _done;

        public void Wait()
        {
            if (_done) return;
            using var noGrad = torch.no_grad();
            _tensor.mul_(2);
            _done = true;
        }
    }
}

/// <summary>What <see cref="TwinRankCollectives.Abort"/> throws instead of ending the test process.</summary>
internal sealed class AbortedException : Exception
{
    public AbortedException(int exitCode, string message) : base(message) => ExitCode = exitCode;

    public int ExitCode { get; }
}
