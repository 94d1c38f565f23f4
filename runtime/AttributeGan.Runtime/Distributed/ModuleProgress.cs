using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// One module whose parameter gradients <see cref="GradientAverager"/> can tell are complete: it takes one tensor
/// (so a forward pre-hook can mark its input) and owns parameters no other module owns. Counts its marked forward
/// calls and their backward passes since the last Arm().
/// </summary>
internal sealed class ModuleProgress
{
    private ModuleProgress(string name, nn.Module<Tensor, Tensor> module, int[] parameterIndices)
    {
        Name = name;
        Module = module;
        ParameterIndices = parameterIndices;
    }

    public string Name { get; }

    public nn.Module<Tensor, Tensor> Module { get; }

    /// <summary>Indices into the averager's parameter list, in reverse registration order.</summary>
    public int[] ParameterIndices { get; }

    public int Forwards { get; set; }

    public int Backwards { get; set; }

    /// <summary>A call contributed gradient without a marker (its input needed no gradient).</summary>
    public bool Unmarked { get; set; }

    /// <summary>All of this step's gradient has been accumulated into the parameters.</summary>
    public bool Ready { get; set; }

    public void Reset()
    {
        Forwards = 0;
        Backwards = 0;
        Unmarked = false;
        Ready = false;
    }

    /// <summary>The trackable modules of <paramref name="network"/> (the root included) for the given parameters.</summary>
    public static ModuleProgress[] Track(nn.Module network, IReadOnlyList<Parameter> parameters)
    {
        var index = new Dictionary<Parameter, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < parameters.Count; i++) index[parameters[i]] = i;

        var modules = new List<(string Name, nn.Module Module)>();
        var seen = new HashSet<nn.Module>(ReferenceEqualityComparer.Instance);
        foreach (var (name, module) in network.named_modules().Prepend((string.Empty, network)))
        {
            if (seen.Add(module)) modules.Add((name.Length == 0 ? network.GetName() : name, module));
        }

        // A parameter owned by two modules is complete only when both have finished: no single marker can say when.
        var owners = new Dictionary<Parameter, int>(ReferenceEqualityComparer.Instance);
        foreach (var (_, module) in modules)
        {
            foreach (var p in module.parameters(recurse: false)) owners[p] = owners.GetValueOrDefault(p) + 1;
        }

        var tracked = new List<ModuleProgress>();
        foreach (var (name, module) in modules)
        {
            if (module is not nn.Module<Tensor, Tensor> single) continue;
            var own = module.parameters(recurse: false)
                .Where(p => owners[p] == 1 && index.ContainsKey(p))
                .Select(p => index[p])
                .OrderBy(i => i)
                .ToArray();
            if (own.Length > 0) tracked.Add(new ModuleProgress(name, single, own));
        }

        return tracked.ToArray();
    }
}
