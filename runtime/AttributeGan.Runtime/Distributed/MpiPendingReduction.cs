using System;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// An MPI_Iallreduce in flight (one request per chunk of at most 2³⁰ elements). Owns the <see cref="HostStage"/>,
/// so the memory MPI writes stays alive until the reduction completes, whatever happens to the caller's handles.
/// </summary>
internal sealed class MpiPendingReduction : IPendingReduction
{
    private readonly HostStage _stage;
    private readonly int[] _requests;
    private bool _complete;

    public MpiPendingReduction(HostStage stage, int[] requests)
    {
        _stage = stage;
        _requests = requests;
        if (requests.Length == 0) Complete();
    }

    public bool Test()
    {
        if (_complete) return true;
        for (var i = 0; i < _requests.Length; i++)
        {
            if (_requests[i] == MpiNative.RequestNull) continue;
            // MPI_Test sets a completed request to MPI_REQUEST_NULL.
            MpiNative.Check(MpiNative.MPI_Test(ref _requests[i], out var done, MpiNative.StatusIgnore), "MPI_Test");
            if (done == 0) return false;
        }

        Complete();
        return true;
    }

    public void Wait()
    {
        if (_complete) return;
        for (var i = 0; i < _requests.Length; i++)
        {
            if (_requests[i] != MpiNative.RequestNull)
                MpiNative.Check(MpiNative.MPI_Wait(ref _requests[i], MpiNative.StatusIgnore), "MPI_Wait");
        }

        Complete();
    }

    private void Complete()
    {
        _complete = true;
        try
        {
            _stage.WriteBack();
        }
        finally
        {
            _stage.Dispose();
        }
    }
}
