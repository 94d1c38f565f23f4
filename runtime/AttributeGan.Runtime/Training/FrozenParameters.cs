using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training;

/// <summary>
/// Stops a network's parameters from requiring gradients until disposed, then restores each one's flag. Gradients still
/// flow through the network to its inputs. The generator step uses it on the discriminator: D's weights are not updated
/// there, so computing their gradients (about a third of D's backward pass) was wasted work.
/// </summary>
public sealed class FrozenParameters : IDisposable
{
    private readonly List<Parameter> frozen;

    private FrozenParameters(List<Parameter> frozen) => this.frozen = frozen;

    public static FrozenParameters Of(nn.Module module)
    {
        var frozen = module.parameters().Where(p => p.requires_grad).ToList();
        foreach (var parameter in frozen) parameter.requires_grad = false;
        return new FrozenParameters(frozen);
    }

    public void Dispose()
    {
        foreach (var parameter in frozen) parameter.requires_grad = true;
        frozen.Clear();
    }
}
