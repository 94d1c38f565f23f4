using static TorchSharp.torch;

namespace AttributeGan.Models.Layers;

/// <summary>
/// Spectral normalisation (Miyato et al. 2018), as <c>torch.nn.utils.spectral_norm</c> computes it: the weight divided by
/// its largest singular value σ, estimated by one step of power iteration per training pass from a persistent left
/// singular vector u. With W the weight flattened to (out, in·k·k): v = normalise(Wᵀu), u ← normalise(W v) (training
/// only, without gradient), σ = uᵀ W v with u and v held constant, so the gradient flows through W in both places.
/// TorchSharp 0.107 has no spectral_norm or parametrizations, hence this.
/// </summary>
public static class SpectralNorm
{
    /// <summary>Power-iteration steps per training pass (PyTorch's default).</summary>
    public const int PowerIterations = 1;

    /// <summary>A fresh estimate of the left singular vector: a random unit vector of the weight's output size.</summary>
    public static Tensor InitialVector(long outputs) => nn.functional.normalize(randn(outputs), p: 2, dim: 0);

    /// <param name="weight">(out, …) the trained weight.</param>
    /// <param name="u">(out) the persistent estimate; updated in place when <paramref name="training"/>.</param>
    /// <returns>weight / σ, the same shape as <paramref name="weight"/>.</returns>
    public static Tensor Normalize(Tensor weight, Tensor u, bool training)
    {
        var matrix = weight.flatten(1);                                                  // (out, in·k·k)
        Tensor v;
        using (no_grad())
        {
            var estimate = u;
            v = nn.functional.normalize(matrix.t().mv(estimate), p: 2, dim: 0, eps: 1e-12);  // (in·k·k)
            if (training)
            {
                for (int i = 0; i < PowerIterations; i++)
                {
                    estimate = nn.functional.normalize(matrix.mv(v), p: 2, dim: 0, eps: 1e-12); // (out)
                    if (i + 1 < PowerIterations) v = nn.functional.normalize(matrix.t().mv(estimate), p: 2, dim: 0, eps: 1e-12);
                }
                u.copy_(estimate);
            }
            v = v.detach();
        }
        // A copy of u: the next pass of the same network updates u in place, and the backward of this one still needs it.
        var sigma = u.detach().clone().dot(matrix.mv(v));                                // ()
        return weight / sigma;
    }
}
