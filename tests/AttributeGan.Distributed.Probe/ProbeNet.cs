using AttributeGan.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Distributed.Probe;

/// <summary>
/// A small discriminator-like network with the cases gradient bucketing must get right: a first layer fed data
/// (no marker possible), a layer called twice per forward, a module owning a parameter directly, and a layer never
/// called (its gradients stay null). With <c>reuseHeadWeight</c> the head's weight is also used outside the head,
/// early in the forward: the misuse the averager must detect rather than average wrongly.
/// </summary>
internal sealed class ProbeNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly ChannelScale scale;
    private readonly Linear unused;
    private readonly Linear head;
    private readonly bool reuseHeadWeight;

    public ProbeNet(bool reuseHeadWeight = false) : base(nameof(ProbeNet))
    {
        conv1 = nn.Conv2d(3, 8, 3, padding: 1);
        conv2 = nn.Conv2d(8, 8, 3, padding: 1);
        scale = new ChannelScale(8);
        unused = nn.Linear(8, 8);
        head = nn.Linear(8, 1);
        this.reuseHeadWeight = reuseHeadWeight;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)   // x: (B, 3, 8, 8) → (B, 1)
    {
        using var scope = NewDisposeScope();
        // Convolutions read channels-last, as the product's blocks do: NCHW input gradients are wrong on some CPUs (MemoryLayout).
        var h = nn.functional.leaky_relu(conv1.call(MemoryLayout.ForConvolution(x)), 0.2);     // (B, 8, 8, 8)
        // Misuse: head's weight used here, before the head runs, so this use's backward comes after the head's.
        var early = reuseHeadWeight ? h.mean(new long[] { 2, 3 }).matmul(head.weight!.t()) : null;   // (B, 1)
        h = nn.functional.leaky_relu(conv2.call(MemoryLayout.ForConvolution(h)), 0.2);
        h = conv2.call(MemoryLayout.ForConvolution(h));              // the same layer again
        h = scale.call(h).mean(new long[] { 2, 3 });                 // (B, 8)
        var logits = head.call(h);                                   // (B, 1)
        if (early is not null) logits = logits + early;
        return logits.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            conv2.Dispose();
            scale.Dispose();
            unused.Dispose();
            head.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Multiplies each channel by its own learned factor (a module owning a parameter directly).</summary>
internal sealed class ChannelScale : nn.Module<Tensor, Tensor>
{
    private readonly Parameter gamma;

    public ChannelScale(long channels) : base(nameof(ChannelScale))
    {
        gamma = new Parameter(torch.linspace(0.5, 1.5, channels));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => x * gamma.view(1, -1, 1, 1);   // (B, C, H, W)
}
