using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// All-gather with a gradient: forward concatenates every rank's (n, ...) rows into (W·n, ...); backward sums the
/// gradient of the gathered tensor over ranks and hands each rank the rows it contributed. Rank r's rows are used
/// by every rank's loss, so their gradient is the sum of what every rank's loss sends them — exactly what a single
/// process holding the whole batch would compute (up to the 1/W of per-rank means, which gradient averaging undoes).
/// </summary>
public sealed class DifferentiableGather : autograd.SingleTensorFunction<DifferentiableGather>
{
    private const string CollectivesKey = "collectives";
    private const string RowsKey = "rows";

    public override string Name => nameof(DifferentiableGather);

    /// <summary>(n, ...) on each rank → (W·n, ...) in rank order; with one rank, <paramref name="local"/> itself.</summary>
    public static Tensor Apply(ICollectives collectives, Tensor local) =>
        collectives.WorldSize == 1 ? local : apply(local, collectives);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var local = (Tensor)vars[0];
        var collectives = (ICollectives)vars[1];
        ctx.save_data(CollectivesKey, collectives);
        ctx.save_data(RowsKey, local.shape[0]);
        using (no_grad())
            return collectives.AllGather(local.detach().contiguous());                  // (W·n, ...)
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradient)
    {
        var collectives = (ICollectives)ctx.get_data(CollectivesKey);
        long rows = (long)ctx.get_data(RowsKey);
        var summed = gradient.contiguous().clone();                                       // (W·n, ...)
        collectives.AllReduceSum(summed);
        // One entry per forward argument: the tensor's gradient, and none for the collectives.
        return new List<Tensor> { summed.narrow(0, collectives.Rank * rows, rows), null! };
    }
}
