using System;
using System.Collections.Generic;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>What the backward pass of one synchronised batch-norm call needs besides its saved tensors.</summary>
internal sealed record SynchronisedBackward(IBatchStatisticsReducer Reducer, double Count, SynchronisedBatchNorm2d Owner);

/// <summary>
/// y = (x − mean)·invstd·w + b with the global batch's mean and invstd (computed and all-reduced by
/// <see cref="SynchronisedBatchNorm2d"/>), and the backward that accounts for every process's samples in those
/// statistics. Arguments: x (B, C, H, W), weight (C), bias (C), mean (C), invstd (C), <see cref="SynchronisedBackward"/>.
/// <para>
/// Backward, with N the global count and x̂ = (x − mean)·invstd: all-reduce per channel S1 = Σdy and S2 = Σdy·x̂, then
/// dx = w·invstd·(dy − S1/N − x̂·S2/N); dweight = Σdy·x̂ and dbias = Σdy over this process's samples only.
/// </para>
/// <para>
/// Why this matches single-process training: each process's loss is a mean over its own B samples, so its dy is
/// world × the dy a single process would get from the mean over all world·B samples. dx is linear in dy (S1 and S2 sum
/// the same scaled dy over all processes), so each process's dx is world × the single-process dx of its rows, and
/// its local dweight, dbias are world × its share of the single-process sums. The runtime averages parameter gradients
/// over processes (÷ world), which turns the shares into exactly the single-process dweight, dbias and the gradients of
/// every layer upstream of x.
/// </para>
/// <para>
/// TorchSharp keeps one instance of a function (state travels in the context), and an exception escaping backward
/// aborts the process: failures are handed to the owning module, which rethrows them outside autograd.
/// </para>
/// </summary>
internal sealed class SynchronisedBatchNormFunction : torch.autograd.SingleTensorFunction<SynchronisedBatchNormFunction>
{
    private const string StateKey = "synchronised";

    public override string Name => nameof(SynchronisedBatchNormFunction);

    public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];                                                            // (B, C, H, W)
        var weight = (Tensor)vars[1];                                                       // (C)
        var bias = (Tensor)vars[2];                                                         // (C)
        var mean = (Tensor)vars[3];                                                         // (C)
        var invstd = (Tensor)vars[4];                                                       // (C)
        var view = new long[] { 1, x.shape[1], 1, 1 };

        var scale = weight * invstd;                                                        // (C)
        var shift = bias - mean * scale;                                                    // (C)
        var y = torch.addcmul(shift.view(view), x, scale.view(view), Scalars.One);                    // (B, C, H, W)

        ctx.save_for_backward(new List<Tensor> { x, weight, mean, invstd });
        ctx.save_data(StateKey, vars[5]);
        return y;
    }

    public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor grad_output)
    {
        var state = (SynchronisedBackward)ctx.get_data(StateKey);
        try
        {
            return Gradients(ctx, grad_output, state);
        }
        catch (Exception failure)
        {
            // No gradient at all for this step; the owner rethrows before anything uses the result.
            state.Owner.RecordBackwardFailure(failure);
            return new List<Tensor> { null!, null!, null!, null!, null!, null! };
        }
    }

    private static List<Tensor> Gradients(torch.autograd.AutogradContext ctx, Tensor dy, SynchronisedBackward state)
    {
        using var scope = torch.NewDisposeScope();
        var saved = ctx.get_saved_variables();
        var x = saved[0];                                                                   // (B, C, H, W)
        var weight = saved[1];                                                              // (C)
        var mean = saved[2];                                                                // (C)
        var invstd = saved[3];                                                              // (C)
        long c = x.shape[1];
        var view = new long[] { 1, c, 1, 1 };
        var dims = new long[] { 0, 2, 3 };

        var xhat = (x - mean.view(view)) * invstd.view(view);                               // (B, C, H, W)
        var local = torch.cat(new[] { dy.sum(dims, type: ScalarType.Float64), (dy * xhat).sum(dims, type: ScalarType.Float64) }); // (2C): [Σdy, Σdy·x̂]
        var dbias = local.narrow(0, 0, c).to(weight.dtype, copy: true);                     // (C), this process's share
        var dweight = local.narrow(0, c, c).to(weight.dtype, copy: true);                   // (C), this process's share

        var global = local.contiguous();                                                    // (2C), summed in place
        state.Reducer.AllReduceSum(global);
        using var count = state.Count.ToScalar();                                          // held for the calls below
        var s1 = global.narrow(0, 0, c).div(count).to(x.dtype).view(view);                  // (1, C, 1, 1): S1 / N
        var s2 = global.narrow(0, c, c).div(count).to(x.dtype).view(view);                  // (1, C, 1, 1): S2 / N
        var dx = (dy - s1 - xhat * s2) * (weight * invstd).view(view);                      // (B, C, H, W)

        return new List<Tensor>
        {
            dx.MoveToOuterDisposeScope(),
            dweight.MoveToOuterDisposeScope(),
            dbias.MoveToOuterDisposeScope(),
            null!, // mean and invstd are constants of this step: their dependence on x is inside dx
            null!,
            null!, // the state object
        };
    }
}
