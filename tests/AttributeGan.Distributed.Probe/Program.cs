using System;
using System.Collections.Generic;
using AttributeGan.Distributed.Probe;
using AttributeGan.Runtime.Distributed;
using TorchSharp;

// Scenarios the distributed tests launch as `mpiexec.mpich -n 2 dotnet AttributeGan.Distributed.Probe.dll <scenario>`.
// Each rank prints `RESULT rank=<r> <key>=<value>` lines for the test to check.
var scenarios = new Dictionary<string, Action<ICollectives>>
{
    ["allreduce"] = CollectiveScenarios.AllReduce,
    ["broadcast"] = CollectiveScenarios.Broadcast,
    ["gather"] = CollectiveScenarios.Gather,
    ["gather-text"] = CollectiveScenarios.GatherText,
    ["bucketed-gradients"] = GradientScenarios.Bucketed,
    ["misuse"] = GradientScenarios.Misuse,
    ["bandwidth"] = BandwidthScenario.Run,
    ["throw"] = FailureScenarios.Throw,
    ["die"] = FailureScenarios.Die,
};

if (args.Length != 1 || !scenarios.TryGetValue(args[0], out var scenario))
{
    Console.Error.WriteLine($"usage: AttributeGan.Distributed.Probe <{string.Join('|', scenarios.Keys)}>");
    return 2;
}

// Two ranks share the machine's cores: one libtorch thread each avoids oversubscription.
torch.set_num_threads(1);
using var collectives = Collectives.FromEnvironment();
Report.Line(collectives, "world", collectives.WorldSize);
Report.Line(collectives, "engine", collectives.Description);
Collectives.RunOrAbort(collectives, () => scenario(collectives), exitCode: 3);
Report.Line(collectives, "done", true);
return 0;
