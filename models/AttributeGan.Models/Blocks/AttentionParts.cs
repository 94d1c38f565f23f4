using AttributeGan.Models.Layers;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// What <see cref="EfficientAttention"/> and <see cref="DotProductAttention"/> share, so a spec can switch
/// <c>attention.kind</c> without changing parameters: the 1×1 query/key/value/output projections, the learned residual
/// scale and the residual 1×1 GLU feed-forward. The blocks keep these as their own fields (to_q, …, ff_out), so their
/// parameter names, and with them every checkpoint, do not depend on this helper.
/// </summary>
internal static class AttentionParts
{
    /// <summary>Initial value of the learned residual scale.</summary>
    public const double InitialGamma = 1e-3;

    public static (Conv Query, Conv Key, Conv Value, Conv Out, Parameter Gamma, Conv FeedIn, Conv FeedOut) Create(
        string owner, long channels, long heads, long keyDim, long valueDim, bool spectralNorm)
    {
        BlockArguments.Positive(channels, owner);
        BlockArguments.Positive(heads, owner);
        BlockArguments.Positive(keyDim, owner);
        BlockArguments.Positive(valueDim, owner);

        var query = new Conv(channels, heads * keyDim, 1, bias: false, spectralNorm: spectralNorm);
        var key = new Conv(channels, heads * keyDim, 1, bias: false, spectralNorm: spectralNorm);
        var value = new Conv(channels, heads * valueDim, 1, bias: false, spectralNorm: spectralNorm);
        var output = new Conv(heads * valueDim, channels, 1, bias: true, spectralNorm: spectralNorm);
        Parameter gamma;
        using (torch.NewDisposeScope())
        {
            gamma = new Parameter(torch.full(new long[] { 1 }, Scalars.Of(InitialGamma), dtype: torch.get_default_dtype()));
            // The module owns gamma: it must outlive any dispose scope the module was built in.
            gamma.DetachFromDisposeScope();
        }
        var feedIn = new Conv(channels, 2 * channels, 1, bias: true, spectralNorm: spectralNorm);
        var feedOut = new Conv(channels, channels, 1, bias: true, spectralNorm: spectralNorm);
        return (query, key, value, output, gamma, feedIn, feedOut);
    }

    /// <summary>
    /// y = x + γ·out(attended), then y + ff_out(glu(ff_in(y))): the residual and the feed-forward after attention. Works
    /// on (B, C, N) and (B, C, H, W) alike (1×1 convolutions, GLU over channels).
    /// </summary>
    public static Tensor ResidualAndFeedForward(Tensor x, Tensor attended, Conv output, Parameter gamma, Conv feedIn, Conv feedOut)
    {
        var y = x.add(gamma * output.call(attended), Scalars.One);        // x's shape
        var hidden = nn.functional.glu(feedIn.call(y), 1);               // x's shape
        return y.add(feedOut.call(hidden), Scalars.One);                 // x's shape
    }
}
