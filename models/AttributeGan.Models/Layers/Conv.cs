using System;
using AttributeGan.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Layers;

/// <summary>
/// The one 2-D convolution every block uses, so that the rules about how a convolution is computed stand in one place:
/// a 1×1 kernel is a matrix product (<see cref="Pointwise"/>) and a larger one reads a channels-last input
/// (<see cref="MemoryLayout.ForConvolution"/>): libtorch's oneDNN computes either wrongly otherwise on some CPUs. With
/// <c>spectralNorm</c> the weight is divided by its largest singular value on every pass (<see cref="SpectralNorm"/>).
/// Its parameters are named as <c>nn.Conv2d</c>'s (<c>weight</c> (out, in/groups, k, k), <c>bias</c> (out)), so
/// checkpoints and parameter tables read the same; spectral normalisation adds the buffer <c>weight_u</c> (out).
/// (B, in, H, W) in either memory layout → (B, out, H', W'); a 1×1 convolution also takes a flattened map (B, in, N).
/// </summary>
public sealed class Conv : nn.Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;

    private readonly long kernel;
    private readonly long stride;
    private readonly long padding;
    private readonly long groups;
    private readonly bool spectral;

    public Conv(long inChannels, long outChannels, long kernel, long stride = 1, long padding = 0, long groups = 1, bool bias = true, bool spectralNorm = false)
        : base(nameof(Conv))
    {
        BlockArguments.Positive(inChannels, nameof(Conv));
        BlockArguments.Positive(outChannels, nameof(Conv));
        BlockArguments.Positive(kernel, nameof(Conv));
        BlockArguments.Positive(stride, nameof(Conv));
        BlockArguments.Positive(groups, nameof(Conv));
        if (padding < 0) throw new ArgumentException($"Conv: padding must not be negative, got {padding}.", nameof(padding));
        if (inChannels % groups != 0 || outChannels % groups != 0)
            throw new ArgumentException($"Conv: {groups} groups must divide the {inChannels} input and {outChannels} output channels.", nameof(groups));

        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.groups = groups;
        spectral = spectralNorm;
        using (torch.NewDisposeScope())
        {
            // PyTorch's default initialisation of nn.Conv2d (kaiming-uniform with a = √5, bias from the fan-in).
            using var reference = nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding, groups: groups, bias: bias);
            this.weight = new Parameter(reference.weight!.detach().clone());
            this.bias = bias ? new Parameter(reference.bias!.detach().clone()) : null;
            this.weight.DetachFromDisposeScope();
            this.bias?.DetachFromDisposeScope();
            if (spectralNorm) register_buffer("weight_u", SpectralNorm.InitialVector(outChannels).DetachFromDisposeScope());
        }

        RegisterComponents();
    }

    /// <summary>The trained weight (out, in/groups, k, k), before any spectral normalisation.</summary>
    public Parameter Weight => weight;

    public Parameter? Bias => bias;

    /// <summary>Whether this is a 1×1 convolution computed as a matrix product.</summary>
    public bool IsPointwise => kernel == 1 && stride == 1 && padding == 0 && groups == 1;

    /// <summary>The weight the pass uses: the parameter, or with spectral normalisation the parameter divided by σ.</summary>
    public Tensor EffectiveWeight() => spectral
        ? SpectralNorm.Normalize(weight, get_buffer("weight_u") ?? throw new InvalidOperationException("Conv: the buffer weight_u is missing."), training)
        : weight;

    public override Tensor forward(Tensor x)
    {
        using var scope = torch.NewDisposeScope();
        var w = EffectiveWeight();                                                       // (out, in/groups, k, k)
        var y = IsPointwise
            ? Pointwise.Apply(w, bias, x)                                                // (B, out, H, W) or (B, out, N)
            : nn.functional.conv2d(MemoryLayout.ForConvolution(x), w, bias,               // (B, out, H', W'), NHWC strides
                strides: new[] { stride, stride }, padding: new[] { padding, padding }, groups: groups);
        return y.MoveToOuterDisposeScope();
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
