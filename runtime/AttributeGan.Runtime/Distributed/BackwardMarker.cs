using System;
using System.Collections.Generic;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// An identity autograd function put on a module's input by a forward pre-hook. Its backward runs once the module's
/// own backward has produced the gradient of that input, which is when libtorch has also produced the module's
/// parameter gradients for that call: the CPU engine runs ready nodes by priority, and the AccumulateGrad nodes that
/// store parameter gradients have the highest (sequence number UINT64_MAX), so they run before this node, which
/// became ready at the same moment. This stands in for the gradient hooks TorchSharp 0.107 lacks. The probe scenario
/// <c>bucketed-gradients</c> checks the result against single-process gradients, and
/// <see cref="GradientBucket.Verify"/> re-checks every early bucket on every step.
/// </summary>
internal sealed class BackwardMarker : autograd.SingleTensorFunction<BackwardMarker>
{
    private const string CallbackKey = "arrived";

    public override string Name => nameof(BackwardMarker);

    /// <summary>
    /// Returns an alias of <paramref name="input"/> whose backward calls <paramref name="arrived"/>, which must not
    /// throw: an exception escaping an autograd backward aborts the process inside libtorch.
    /// </summary>
    public static Tensor Mark(Tensor input, Action arrived) => apply(input, arrived);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        // Function instances are singletons: per-call state lives in the context.
        ctx.save_data(CallbackKey, vars[1]);
        return ((Tensor)vars[0]).alias();   // same shape as the input
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        ((Action)ctx.get_data(CallbackKey))();
        return new List<Tensor> { gradOutput, null! };   // the callback is not a tensor: no gradient for it
    }
}
