using System;
using AttributeGan.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.HandWritten;

/// <summary>
/// The AttributeGan64 generator written out by hand with TorchSharp modules: no building blocks, no spec, no generated
/// code (its per-pixel noise maps come from the product's seeded sampler). Same layers, parameters (1,148,911) and arithmetic as the generated <c>AttributeGan64Generator</c>; a module
/// path <c>a.b</c> there is the field <c>a_b</c> here, so weights copy across by name.
/// </summary>
public sealed class HandWrittenGenerator : GanGenerator
{
    private const double Slope = 0.1;

    // initial: noise (B, 128) and attributes (B, 16) → 4×4, batch norm, GLU, concatenated, L2-normalised over channels.
    private readonly ConvTranspose2d initial_noise_up = nn.ConvTranspose2d(128, 256, 4, bias: false);
    private readonly BatchNorm2d initial_noise_norm = nn.BatchNorm2d(256);
    private readonly ConvTranspose2d initial_attribute_up = nn.ConvTranspose2d(16, 64, 4, bias: false);
    private readonly BatchNorm2d initial_attribute_norm = nn.BatchNorm2d(64);
    // Up-sampling stages: ×2 (blurred) → conv3×3 to 2·out → batch norm → GLU.
    private readonly Conv2d stage8_conv = nn.Conv2d(160, 256, 3, padding: 1, bias: false);
    private readonly BatchNorm2d stage8_norm = nn.BatchNorm2d(256);
    private readonly Conv2d stage16_conv = nn.Conv2d(128, 128, 3, padding: 1, bias: false);
    private readonly BatchNorm2d stage16_norm = nn.BatchNorm2d(128);
    // Efficient attention at 16×16: 64 channels, 4 heads of 16.
    private readonly Conv2d attention16_to_q = nn.Conv2d(64, 64, 1, bias: false);
    private readonly Conv2d attention16_to_k = nn.Conv2d(64, 64, 1, bias: false);
    private readonly Conv2d attention16_to_v = nn.Conv2d(64, 64, 1, bias: false);
    private readonly Conv2d attention16_to_out = nn.Conv2d(64, 64, 1, bias: true);
    private readonly Parameter attention16_gamma = Gamma();
    private readonly Conv2d attention16_ff_in = nn.Conv2d(64, 128, 1, bias: true);
    private readonly Conv2d attention16_ff_out = nn.Conv2d(64, 64, 1, bias: true);
    private readonly Conv2d stage32_conv = nn.Conv2d(64, 64, 3, padding: 1, bias: false);
    private readonly BatchNorm2d stage32_norm = nn.BatchNorm2d(64);
    // Efficient attention at 32×32: 32 channels, 4 heads of 16.
    private readonly Conv2d attention32_to_q = nn.Conv2d(32, 64, 1, bias: false);
    private readonly Conv2d attention32_to_k = nn.Conv2d(32, 64, 1, bias: false);
    private readonly Conv2d attention32_to_v = nn.Conv2d(32, 64, 1, bias: false);
    private readonly Conv2d attention32_to_out = nn.Conv2d(64, 32, 1, bias: true);
    private readonly Parameter attention32_gamma = Gamma();
    private readonly Conv2d attention32_ff_in = nn.Conv2d(32, 64, 1, bias: true);
    private readonly Conv2d attention32_ff_out = nn.Conv2d(32, 32, 1, bias: true);
    // Skip-layer excitation 8 → 32: a gate from the 8×8 map (128 channels) on the 32×32 map (32 channels).
    private readonly Conv2d excite8to32_to_context = nn.Conv2d(128, 1, 1, bias: true);
    private readonly Conv2d excite8to32_excite_in = nn.Conv2d(128, 16, 1, bias: true);
    private readonly Conv2d excite8to32_excite_out = nn.Conv2d(16, 32, 1, bias: true);
    private readonly Conv2d stage64_conv = nn.Conv2d(32, 32, 3, padding: 1, bias: false);
    private readonly BatchNorm2d stage64_norm = nn.BatchNorm2d(32);
    // Skip-layer excitation 16 → 64: from 64 channels onto 16.
    private readonly Conv2d excite16to64_to_context = nn.Conv2d(64, 1, 1, bias: true);
    private readonly Conv2d excite16to64_excite_in = nn.Conv2d(64, 8, 1, bias: true);
    private readonly Conv2d excite16to64_excite_out = nn.Conv2d(8, 16, 1, bias: true);
    private readonly Conv2d to_image_conv = nn.Conv2d(16, 3, 3, padding: 1, bias: true);
    // Per-pixel noise after every stage: x + strength ⊙ n, strength per channel, starting at 0.
    private readonly PixelNoise noise8 = new(128);
    private readonly PixelNoise noise16 = new(64);
    private readonly PixelNoise noise32 = new(32);
    private readonly PixelNoise noise64 = new(16);

    // Blur kernels of the four blurred stages (160, 128, 64, 32 channels), in an array: a Tensor field would become a buffer.
    private readonly Tensor[] blur = { HandWrittenOps.BlurKernel(160), HandWrittenOps.BlurKernel(128), HandWrittenOps.BlurKernel(64), HandWrittenOps.BlurKernel(32) };
    private readonly HandWrittenOps ops;
    private readonly IGanSpec spec;

    public HandWrittenGenerator(IGanSpec spec, HandWrittenOps ops) : base(nameof(HandWrittenGenerator))
    {
        this.spec = spec;
        this.ops = ops;
        RegisterComponents();
    }

    public override IGanSpec Spec => spec;

    public override Tensor forward(Tensor noise, Tensor attributes)
    {
        using var scope = torch.NewDisposeScope();
        long b = noise.shape[0];
        var n = F.glu(initial_noise_norm.call(HandWrittenOps.FromPoint(initial_noise_up, noise)), 1);            // (B, 128, 4, 4)
        var a = F.glu(initial_attribute_norm.call(HandWrittenOps.FromPoint(initial_attribute_up, attributes)), 1); // (B, 32, 4, 4)
        var x4 = F.normalize(torch.cat(new[] { n, a }, 1), p: 2, dim: 1);                                        // (B, 160, 4, 4)

        var x8 = noise8.Add(Up(x4, blur[0], stage8_conv, stage8_norm), noise);                                   // (B, 128, 8, 8)
        var x16 = noise16.Add(Up(x8, blur[1], stage16_conv, stage16_norm), noise);                                // (B, 64, 16, 16)
        x16 = Attention(ops, x16, attention16_to_q, attention16_to_k, attention16_to_v, attention16_to_out, attention16_gamma,
            attention16_ff_in, attention16_ff_out);
        var x32 = noise32.Add(Up(x16, blur[2], stage32_conv, stage32_norm), noise);                               // (B, 32, 32, 32)
        x32 = Attention(ops, x32, attention32_to_q, attention32_to_k, attention32_to_v, attention32_to_out, attention32_gamma,
            attention32_ff_in, attention32_ff_out);
        x32 = Excite(x8, x32, excite8to32_to_context, excite8to32_excite_in, excite8to32_excite_out);
        var x64 = noise64.Add(Up(x32, blur[3], stage64_conv, stage64_norm), noise);                               // (B, 16, 64, 64)
        x64 = Excite(x16, x64, excite16to64_to_context, excite16to64_excite_in, excite16to64_excite_out);
        return torch.tanh(HandWrittenOps.Conv(to_image_conv, x64)).contiguous().MoveToOuterDisposeScope();      // (B, 3, 64, 64)
    }

    private Tensor Up(Tensor x, Tensor blur, Conv2d conv, BatchNorm2d norm) =>
        F.glu(norm.call(HandWrittenOps.Conv(conv, ops.UpSample(ops.Layout(x), blur))).contiguous(), 1);         // (B, out, 2H, 2W)

    /// <summary>Efficient attention (Shen et al.) with the residual scale and the GLU feed-forward, on a dense NCHW copy. Shape preserved.</summary>
    internal static Tensor Attention(HandWrittenOps ops, Tensor input, Conv2d toQ, Conv2d toK, Conv2d toV, Conv2d toOut, Parameter gamma, Conv2d ffIn, Conv2d ffOut)
    {
        const long heads = 4, dk = 16, dv = 16;
        var x = input.contiguous();                                                                             // (B, C, H, W)
        long b = x.shape[0], c = x.shape[1], h = x.shape[2], w = x.shape[3], n = h * w;
        // A 1×1 convolution, on the (B, C, N) view: a batched product with the broadcast weight, or the convolution itself.
        Tensor Pointwise(Conv2d conv, Tensor flat) => ops.BatchedPointwise
            ? AttributeGan.Models.Blocks.Pointwise.Apply(conv, flat)                                            // (B, out, N)
            : conv.call(flat.view(b, flat.shape[1], h, w)).view(b, -1, n);
        var xf = x.view(b, c, n);                                                                               // (B, C, N)
        var q = Pointwise(toQ, xf).view(b, heads, dk, n).softmax(2);                                            // (B, h, dk, N)
        var k = Pointwise(toK, xf).view(b, heads, dk, n).softmax(3);                                            // (B, h, dk, N)
        var v = Pointwise(toV, xf).view(b, heads, dv, n);                                                       // (B, h, dv, N)
        var context = torch.matmul(k, v.transpose(2, 3));                                                       // (B, h, dk, dv)
        var attended = torch.matmul(context.transpose(2, 3), q).reshape(b, heads * dv, n);                      // (B, h·dv, N)
        var y = xf + gamma * Pointwise(toOut, attended);                                                        // (B, C, N)
        return (y + Pointwise(ffOut, F.glu(Pointwise(ffIn, y), 1))).view(b, c, h, w);                           // (B, C, H, W)
    }

    /// <summary>Skip-layer excitation: a per-channel gate from a softmax-pooled context of <paramref name="low"/>.</summary>
    private static Tensor Excite(Tensor low, Tensor high, Conv2d toContext, Conv2d exciteIn, Conv2d exciteOut)
    {
        long b = low.shape[0], c = low.shape[1];
        var weights = HandWrittenOps.Conv(toContext, low).reshape(b, 1, -1).softmax(2);                         // (B, 1, N)
        var context = torch.matmul(low.reshape(b, c, -1), weights.transpose(1, 2)).view(b, c, 1, 1);            // (B, Clo, 1, 1)
        var gate = torch.sigmoid(HandWrittenOps.Conv(exciteOut, F.leaky_relu(HandWrittenOps.Conv(exciteIn, context), Slope))); // (B, Chi, 1, 1)
        return high * gate;                                                                                     // (B, Chi, H, W)
    }

    internal static Parameter Gamma()
    {
        using var scope = torch.NewDisposeScope();
        var gamma = new Parameter(torch.full(new long[] { 1 }, 1e-3, dtype: torch.get_default_dtype()));
        gamma.DetachFromDisposeScope();
        return gamma;
    }

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

    /// <summary>
    /// The per-pixel noise of a stage: one standard-normal map per image, scaled per channel. The maps come from the
    /// product's seeded sampler (a function of each latent vector's bits), so both networks add the same noise.
    /// </summary>
    private sealed class PixelNoise : nn.Module
    {
        private readonly Parameter strength;

        public PixelNoise(long channels) : base(nameof(PixelNoise))
        {
            strength = new Parameter(torch.zeros(1, channels, 1, 1));
            RegisterComponents();
        }

        /// <param name="x">(B, C, H, W)</param>
        /// <param name="latent">(B, L), the images' latent vectors</param>
        public Tensor Add(Tensor x, Tensor latent) =>
            x + strength * AttributeGan.Models.Blocks.NoiseInjection.Noise(latent, x.shape[2], x.shape[3]).to(x.dtype, x.device); // (B, C, H, W)
    }
}
