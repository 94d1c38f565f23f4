using AttributeGan.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Layers;

/// <summary>
/// A linear layer with optional spectral normalisation (<see cref="SpectralNorm"/>): (…, in) → (…, out). Parameters
/// named as <c>nn.Linear</c>'s (<c>weight</c> (out, in), <c>bias</c> (out)); spectral normalisation adds <c>weight_u</c>.
/// </summary>
public sealed class Dense : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly bool spectral;

    public Dense(long inFeatures, long outFeatures, bool bias = true, bool spectralNorm = false) : base(nameof(Dense))
    {
        BlockArguments.Positive(inFeatures, nameof(Dense));
        BlockArguments.Positive(outFeatures, nameof(Dense));
        spectral = spectralNorm;
        using (torch.NewDisposeScope())
        {
            // PyTorch's default initialisation of nn.Linear.
            using var reference = nn.Linear(inFeatures, outFeatures, hasBias: bias);
            this.weight = new Parameter(reference.weight!.detach().clone());
            this.bias = bias ? new Parameter(reference.bias!.detach().clone()) : null;
            this.weight.DetachFromDisposeScope();
            this.bias?.DetachFromDisposeScope();
            if (spectralNorm) register_buffer("weight_u", SpectralNorm.InitialVector(outFeatures).DetachFromDisposeScope());
        }

        RegisterComponents();
    }

    /// <summary>The trained weight (out, in), before any spectral normalisation.</summary>
    public Parameter Weight => weight;

    public Parameter? Bias => bias;

    /// <summary>The (out, in) weight the pass uses: the parameter, or divided by σ with spectral normalisation.</summary>
    public Tensor EffectiveWeight() => spectral
        ? SpectralNorm.Normalize(weight, get_buffer("weight_u") ?? throw new System.InvalidOperationException("Dense: the buffer weight_u is missing."), training)
        : weight;

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        return nn.functional.linear(x, EffectiveWeight(), bias).MoveToOuterDisposeScope();   // (…, out)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            weight.Dispose();
            bias?.Dispose();
            get_buffer("weight_u")?.Dispose();
        }
        base.Dispose(disposing);
    }
}
