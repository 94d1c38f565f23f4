using AttributeGan.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>
/// A discriminator-like network for the in-process averager tests: a first layer fed data, a layer used twice per
/// forward, a layer never used (null gradients) and a head; optionally the head's weight is also used before the head
/// runs (the misuse the averager must detect).
/// </summary>
internal sealed class TwoPassNet : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly Conv2d conv2;
    private readonly Linear unused;
    private readonly Linear head;
    private readonly bool reuseHeadWeight;

    public TwoPassNet(bool reuseHeadWeight = false) : base(nameof(TwoPassNet))
    {
        conv1 = nn.Conv2d(3, 4, 3, padding: 1);
        conv2 = nn.Conv2d(4, 4, 3, padding: 1);
        unused = nn.Linear(4, 4);
        head = nn.Linear(4, 1);
        this.reuseHeadWeight = reuseHeadWeight;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)   // (B, 3, 6, 6) → (B, 1)
    {
        // Convolutions read channels-last, as the product's blocks do: NCHW input gradients are wrong on some CPUs (MemoryLayout).
        var h = nn.functional.leaky_relu(conv1.call(MemoryLayout.ForConvolution(x)), 0.2);             // (B, 4, 6, 6)
        var early = reuseHeadWeight ? h.mean(new long[] { 2, 3 }).matmul(head.weight!.t()) : null;     // (B, 1)
        h = conv2.call(MemoryLayout.ForConvolution(nn.functional.leaky_relu(conv2.call(MemoryLayout.ForConvolution(h)), 0.2))); // (B, 4, 6, 6)
        var logits = head.call(h.mean(new long[] { 2, 3 }));                                            // (B, 1)
        return early is null ? logits : logits + early;
    }

    /// <summary>Hinge loss of two passes, as a discriminator on real and generated images.</summary>
    public Tensor Loss(Tensor real, Tensor fake) =>
        nn.functional.relu(1 - call(real)).mean() + nn.functional.relu(1 + call(fake)).mean();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            conv1.Dispose();
            conv2.Dispose();
            unused.Dispose();
            head.Dispose();
        }

        base.Dispose(disposing);
    }
}
