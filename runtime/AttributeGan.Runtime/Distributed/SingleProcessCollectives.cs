using System;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>A group of one: every collective is the identity, so single-process training runs the same code as N ranks.</summary>
public sealed class SingleProcessCollectives : ICollectives
{
    public static SingleProcessCollectives Instance { get; } = new();

    public int Rank => 0;

    public int WorldSize => 1;

    public string Description => "single process";

    public void AllReduceSum(Tensor tensor)
    {
    }

    public IPendingReduction StartAllReduceSum(Tensor tensor) => Completed.Instance;

    public void Broadcast(Tensor tensor, int root = 0)
    {
        if (root != 0) throw new ArgumentOutOfRangeException(nameof(root), root, "A single process has only rank 0.");
    }

    public Tensor AllGather(Tensor tensor) => tensor.clone();

    public string[] AllGatherText(string text) => new[] { text };

    public void Barrier()
    {
    }

    public void Abort(int exitCode, string message)
    {
        Console.Error.WriteLine(message);
        Environment.Exit(exitCode);
    }

    public ICollectives Duplicate() => this;

    public void Dispose()
    {
    }

    private sealed class Completed : IPendingReduction
    {
        public static Completed Instance { get; } = new();

        public bool Test() => true;

        public void Wait()
        {
        }
    }
}
