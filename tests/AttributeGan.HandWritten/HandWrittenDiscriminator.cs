using System.Collections.Generic;
using AttributeGan.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.HandWritten;

/// <summary>
/// The AttributeGan64 discriminator written out by hand: same layers, parameters (794,857) and arithmetic as the
/// generated <c>AttributeGan64Discriminator</c>, module path <c>a.b.c</c> there = field <c>a_b_c</c> here.
/// </summary>
public sealed class HandWrittenDiscriminator : GanDiscriminator
{
    private readonly Conv2d from_image_conv = nn.Conv2d(3, 16, 3, padding: 1, bias: true);
    // Down blocks: blur → (conv4×4 s2 → lrelu → conv3×3 → lrelu) + (avg-pool 2 → conv1×1 → lrelu).
    private readonly Conv2d stage32_down_conv = nn.Conv2d(16, 32, 4, stride: 2, padding: 1, bias: true);
    private readonly Conv2d stage32_refine_conv = nn.Conv2d(32, 32, 3, padding: 1, bias: true);
    private readonly Conv2d stage32_skip_conv = nn.Conv2d(16, 32, 1, bias: true);
    private readonly Conv2d stage16_down_conv = nn.Conv2d(32, 64, 4, stride: 2, padding: 1, bias: true);
    private readonly Conv2d stage16_refine_conv = nn.Conv2d(64, 64, 3, padding: 1, bias: true);
    private readonly Conv2d stage16_skip_conv = nn.Conv2d(32, 64, 1, bias: true);
    private readonly Conv2d attention16_to_q = nn.Conv2d(64, 64, 1, bias: false);
    private readonly Conv2d attention16_to_k = nn.Conv2d(64, 64, 1, bias: false);
    private readonly Conv2d attention16_to_v = nn.Conv2d(64, 64, 1, bias: false);
    private readonly Conv2d attention16_to_out = nn.Conv2d(64, 64, 1, bias: true);
    private readonly Parameter attention16_gamma = HandWrittenGenerator.Gamma();
    private readonly Conv2d attention16_ff_in = nn.Conv2d(64, 128, 1, bias: true);
    private readonly Conv2d attention16_ff_out = nn.Conv2d(64, 64, 1, bias: true);
    private readonly Conv2d stage8_down_conv = nn.Conv2d(64, 128, 4, stride: 2, padding: 1, bias: true);
    private readonly Conv2d stage8_refine_conv = nn.Conv2d(128, 128, 3, padding: 1, bias: true);
    private readonly Conv2d stage8_skip_conv = nn.Conv2d(64, 128, 1, bias: true);
    // Heads: patch logits, projection, contrastive f(x) and l(y), the attribute classifier, reconstruction decoders from 8×8
    // and a 16×16 quadrant.
    private readonly Conv2d logits_conv = nn.Conv2d(129, 128, 1, bias: true);            // 128 features + the minibatch std
    private readonly Conv2d logits_to_logit = nn.Conv2d(128, 1, 4, bias: true);
    private readonly Linear projection_embed = nn.Linear(16, 128, hasBias: false);
    private readonly Conv2d contrastive_squeeze = nn.Conv2d(32, 1, 1, bias: true);
    private readonly Linear contrastive_project = nn.Linear(1024, 128, hasBias: true);
    private readonly Linear attribute_embedding_project = nn.Linear(16, 128, hasBias: true);
    private readonly Linear classifier_classify = nn.Linear(128, 16, hasBias: true);   // the auxiliary classifier on the 8×8 map
    private readonly Conv2d reconstruct8_ups_0_conv = nn.Conv2d(128, 128, 3, padding: 1, bias: false);
    private readonly BatchNorm2d reconstruct8_ups_0_norm = nn.BatchNorm2d(128);
    private readonly Conv2d reconstruct8_ups_1_conv = nn.Conv2d(64, 64, 3, padding: 1, bias: false);
    private readonly BatchNorm2d reconstruct8_ups_1_norm = nn.BatchNorm2d(64);
    private readonly Conv2d reconstruct8_to_image = nn.Conv2d(32, 3, 3, padding: 1, bias: true);
    private readonly Conv2d reconstruct16_ups_0_conv = nn.Conv2d(64, 64, 3, padding: 1, bias: false);
    private readonly BatchNorm2d reconstruct16_ups_0_norm = nn.BatchNorm2d(64);
    private readonly Conv2d reconstruct16_ups_1_conv = nn.Conv2d(32, 32, 3, padding: 1, bias: false);
    private readonly BatchNorm2d reconstruct16_ups_1_norm = nn.BatchNorm2d(32);
    private readonly Conv2d reconstruct16_to_image = nn.Conv2d(16, 3, 3, padding: 1, bias: true);

    // Blur kernels of the three down blocks (16, 32, 64 channels), in an array: a Tensor field would become a buffer.
    private readonly Tensor[] blur = { HandWrittenOps.BlurKernel(16), HandWrittenOps.BlurKernel(32), HandWrittenOps.BlurKernel(64) };
    private readonly HandWrittenOps ops;
    private readonly IGanSpec spec;

    public HandWrittenDiscriminator(IGanSpec spec, HandWrittenOps ops) : base(nameof(HandWrittenDiscriminator))
    {
        this.spec = spec;
        this.ops = ops;
        RegisterComponents();
    }

    public override IGanSpec Spec => spec;

    /// <summary>The spread of each group of 4 consecutive images (fewer when 4 does not divide the batch), as one channel.</summary>
    private static Tensor MinibatchSpread(Tensor x)
    {
        long batch = x.shape[0], group = batch % 4 == 0 ? 4 : batch % 2 == 0 ? 2 : 1;
        var spread = x.view(batch / group, group, 128, 8, 8).var(1, unbiased: false).add(1e-8).sqrt();      // (B/g, 128, 8, 8)
        return spread.mean(new long[] { 1, 2, 3 }, keepdim: true)                                              // (B/g, 1, 1, 1)
            .repeat_interleave(group, 0).expand(batch, 1, 8, 8);                                               // (B, 1, 8, 8)
    }

    public override DiscriminatorOutput forward(Tensor images, Tensor attributes, DiscriminatorHeads heads)
    {
        using var scope = torch.NewDisposeScope();
        var x64 = HandWrittenOps.LeakyRelu(HandWrittenOps.Conv(from_image_conv, ops.Layout(images)));          // (B, 16, 64, 64)
        var x32 = Down(x64, blur[0], stage32_down_conv, stage32_refine_conv, stage32_skip_conv);               // (B, 32, 32, 32)
        var x16 = Down(x32, blur[1], stage16_down_conv, stage16_refine_conv, stage16_skip_conv);               // (B, 64, 16, 16)
        x16 = HandWrittenGenerator.Attention(ops, x16, attention16_to_q, attention16_to_k, attention16_to_v, attention16_to_out, attention16_gamma,
            attention16_ff_in, attention16_ff_out);
        var x8 = Down(x16, blur[2], stage8_down_conv, stage8_refine_conv, stage8_skip_conv);                   // (B, 128, 8, 8)

        var withSpread = torch.cat(new[] { x8, MinibatchSpread(x8) }, 1);                                      // (B, 129, 8, 8)
        var logits = HandWrittenOps.Conv(logits_to_logit, HandWrittenOps.LeakyRelu(HandWrittenOps.Conv(logits_conv, withSpread))).flatten(1); // (B, 25)
        var projected = (projection_embed.call(attributes) * x8.mean(new long[] { 2, 3 })).sum(1, keepdim: true); // (B, 1)
        logits = logits + projected;                                                                           // (B, 25)

        Tensor? embedding = null, attributeEmbedding = null;
        if (heads.Contrastive)
        {
            embedding = F.normalize(contrastive_project.call(HandWrittenOps.Conv(contrastive_squeeze, x32).flatten(1)), p: 2, dim: 1); // (B, 128)
            attributeEmbedding = F.normalize(attribute_embedding_project.call(attributes), p: 2, dim: 1);               // (B, 128)
        }

        Tensor? attributeLogits = null;
        if (heads.Classifier) attributeLogits = classifier_classify.call(x8.mean(new long[] { 2, 3 }));          // (B, 16): five attributes' levels

        var reconstructions = new List<Tensor>();
        if (heads.Reconstruction)
        {
            var y8 = Up(Up(x8, reconstruct8_ups_0_conv, reconstruct8_ups_0_norm), reconstruct8_ups_1_conv, reconstruct8_ups_1_norm);   // (B, 32, 32, 32)
            reconstructions.Add(HandWrittenOps.Conv(reconstruct8_to_image, y8).contiguous().MoveToOuterDisposeScope());             // (B, 3, 32, 32)
            var quadrant = Quadrant(x16, heads.Quadrant);                                                                          // (B, 64, 8, 8)
            var y16 = Up(Up(quadrant, reconstruct16_ups_0_conv, reconstruct16_ups_0_norm), reconstruct16_ups_1_conv, reconstruct16_ups_1_norm); // (B, 16, 32, 32)
            reconstructions.Add(HandWrittenOps.Conv(reconstruct16_to_image, y16).contiguous().MoveToOuterDisposeScope());          // (B, 3, 32, 32)
        }
        return new DiscriminatorOutput(logits.MoveToOuterDisposeScope(), embedding?.MoveToOuterDisposeScope(),
            attributeEmbedding?.MoveToOuterDisposeScope(), reconstructions, attributeLogits?.MoveToOuterDisposeScope());
    }

    private Tensor Down(Tensor x, Tensor blurKernel, Conv2d down, Conv2d refine, Conv2d skip)
    {
        var source = HandWrittenOps.Blur(ops.Layout(x), blurKernel);                                           // (B, in, H, W)
        var main = HandWrittenOps.LeakyRelu(HandWrittenOps.Conv(refine, HandWrittenOps.LeakyRelu(HandWrittenOps.Conv(down, source)))); // (B, out, H/2, W/2)
        var shortcut = HandWrittenOps.LeakyRelu(HandWrittenOps.Conv(skip, F.avg_pool2d(source, 2)));                 // (B, out, H/2, W/2)
        return main + shortcut;
    }

    /// <summary>Decoder stage without blur: nearest ×2 → conv3×3 → batch norm → GLU.</summary>
    private Tensor Up(Tensor x, Conv2d conv, BatchNorm2d norm) => F.glu(norm.call(HandWrittenOps.Conv(conv, ops.UpSample(ops.Layout(x), null))).contiguous(), 1);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var (_, module) in named_children()) module.Dispose();
            foreach (var (_, parameter) in named_parameters(recurse: false)) parameter.Dispose();
            foreach (var kernel in blur) kernel.Dispose();
        }
        base.Dispose(disposing);
    }
}
