using System;

namespace AttributeGan.Runtime.Distributed;

/// <summary>An MPI call returned an error code.</summary>
public sealed class MpiException : Exception
{
    public MpiException(string call, int code, string description)
        : base($"{call} failed with MPI error {code}: {description}")
    {
        Call = call;
        Code = code;
    }

    /// <summary>The MPI function that failed, e.g. "MPI_Allreduce".</summary>
    public string Call { get; }

    public int Code { get; }
}
