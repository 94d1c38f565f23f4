using System;
using System.Diagnostics;
using System.Threading;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Distributed.Probe;

/// <summary>One rank fails while the other waits in a collective: the job must end, not hang.</summary>
internal static class FailureScenarios
{
    public static void Throw(ICollectives c)
    {
        var tensor = torch.ones(4);
        c.AllReduceSum(tensor);
        c.Barrier();
        Report.Line(c, "before_failure", tensor[0].item<float>());
        if (c.Rank == 1) throw new InvalidOperationException("probe failure on purpose");
        c.AllReduceSum(tensor);   // rank 1 never joins: only the abort ends this
        Report.Line(c, "unreachable", true);
    }

    public static void Die(ICollectives c)
    {
        var tensor = torch.ones(4);
        c.Barrier();
        if (c.Rank == 1)
        {
            Report.Line(c, "dying", true);
            Process.GetCurrentProcess().Kill();   // SIGKILL: no handler, no abort, no goodbye
            Thread.Sleep(Timeout.Infinite);
        }

        c.AllReduceSum(tensor);
        Report.Line(c, "unreachable", true);
    }
}
