using System;
using AttributeGan.Models.Layers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Feature projector f(x) of the conditional contrastive loss: conv1×1 to one channel → flatten (B, r²) → linear to
/// <c>dim</c> → L2-normalise. (B, C, r, r) → (B, dim).
/// </summary>
public sealed class ContrastiveHead : nn.Module<Tensor, Tensor>
{
    private readonly Conv squeeze;
    private readonly Dense project;

    private readonly long channels;
    private readonly long resolution;

    public ContrastiveHead(long channels, long resolution, long dim, bool spectralNorm = false) : base(nameof(ContrastiveHead))
    {
        BlockArguments.Positive(channels, nameof(ContrastiveHead));
        BlockArguments.Positive(resolution, nameof(ContrastiveHead));
        BlockArguments.Positive(dim, nameof(ContrastiveHead));

        this.channels = channels;
        this.resolution = resolution;
        squeeze = new Conv(channels, 1, 1, bias: true, spectralNorm: spectralNorm);
        project = new Dense(resolution * resolution, dim, bias: true, spectralNorm: spectralNorm);

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, C, r, r)
        if (x.dim() != 4 || x.shape[1] != channels || x.shape[2] != resolution || x.shape[3] != resolution)
        {
            throw new ArgumentException(
                $"ContrastiveHead expects (B, {channels}, {resolution}, {resolution}), got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        var flat = squeeze.call(x).flatten(1);                                           // (B, r²)
        var embedded = project.call(flat);                                               // (B, dim)
        var result = nn.functional.normalize(embedded, p: 2, dim: 1);                    // (B, dim)
        return result.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            squeeze.Dispose();
            project.Dispose();
        }
        base.Dispose(disposing);
    }
}
