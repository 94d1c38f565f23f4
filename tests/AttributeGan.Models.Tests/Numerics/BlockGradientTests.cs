using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Blocks;
using AttributeGan.Models.Numerics;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests.Numerics;

/// <summary>
/// Every block kind, forward and backward in float32, against the same block in float64 (libtorch's reference kernels,
/// no oneDNN): the output, every input gradient and every parameter gradient. The shapes include those on which
/// libtorch 2.10's oneDNN is wrong on some CPUs (3 or 1 output channels after a 3×3 or 4×4 kernel, 5 attribute channels
/// into a transposed convolution, 1×1 convolutions to 512 channels), so on such a machine a block that hands those
/// kernels an input they get wrong fails here. Run at one and two threads (the defects differ), three times each
/// (the multi-threaded ones come and go).
/// </summary>
public sealed class BlockGradientTests
{
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Blocks.Keys)
        {
            foreach (var threads in new[] { 1, 2 }) data.Add(name, threads);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_block_matches_its_float64_reference_in_output_and_every_gradient(string name, int threads)
    {
        var (create, inputs) = Blocks[name];
        for (int repeat = 0; repeat < 3; repeat++)
        {
            torch.manual_seed(100 + repeat);
            using var scope = NewDisposeScope();
            using var block = create();
            using var twin = Float64Reference.Twin(block, create);
            var values = inputs();
            var deviations = IntraOpThreads.With(threads, () => Float64Reference.Compare(block, twin, values, seed: repeat));

            var wrong = deviations.Where(d => !(d.IsFinite && d.RelativeError <= Float64Reference.Tolerance)).ToList();
            Assert.True(wrong.Count == 0,
                $"{name} at {threads} thread(s), repeat {repeat}: " + string.Join(", ", wrong.Select(d => $"{d.Quantity} off by {d.RelativeError:e1}")));
            // Every trained parameter's gradient was compared, not just the output.
            Assert.Equal(block.parameters().Count(p => p.requires_grad), deviations.Count(d => !d.Quantity.StartsWith("input", StringComparison.Ordinal) && d.Quantity != "output"));
        }
    }

    /// <summary>A block and inputs (float32, in the layout a network hands the block) of a shape a shipped spec has or a defect needs.</summary>
    private static readonly Dictionary<string, (Func<nn.Module> Create, Func<Tensor[]> Inputs)> Blocks = new()
    {
        // Tiny's attribute width 5 and AttributeGan64's 16 into the transposed convolutions of the initial block.
        ["InitialBlock 5 attributes"] = (() => new InitialBlock(16, 5, 16, 8, 4, NormKind.Batch), () => new[] { randn(4, 16), OneHot(4, 5) }),
        ["InitialBlock 64"] = (() => new InitialBlock(128, 16, 128, 32, 4, NormKind.Batch), () => new[] { randn(4, 128), OneHot(4, 16) }),
        ["UpBlock blurred"] = (() => new UpBlock(64, 32, blur: true, NormKind.Batch), () => new[] { randn(4, 64, 16, 16) }),
        ["UpBlock to 8 channels"] = (() => new UpBlock(16, 8, blur: false, NormKind.Batch), () => new[] { randn(4, 16, 8, 8) }),
        ["UpBlock without norm"] = (() => new UpBlock(6, 3, blur: true, NormKind.None), () => new[] { randn(4, 6, 8, 8) }),
        ["DownBlock"] = (() => new DownBlock(16, 32, blur: true), () => new[] { MemoryLayout.ChannelsLast(randn(4, 16, 32, 32)) }),
        ["DownBlock to 512"] = (() => new DownBlock(256, 512, blur: true), () => new[] { MemoryLayout.ChannelsLast(randn(2, 256, 8, 8)) }),
        ["DownBlock spectral"] = (() => new DownBlock(16, 32, blur: true, spectralNorm: true), () => new[] { MemoryLayout.ChannelsLast(randn(4, 16, 32, 32)) }),
        ["PatchLogits spectral"] = (() => new PatchLogits(64, spectralNorm: true), () => new[] { MemoryLayout.ChannelsLast(randn(4, 64, 8, 8)) }),
        ["AttributeProjection spectral"] = (() => new AttributeProjection(16, 64, spectralNorm: true), () => new[] { MemoryLayout.ChannelsLast(randn(4, 64, 8, 8)), OneHot(4, 16), randn(4, 25) }),
        ["DownBlock NCHW input"] = (() => new DownBlock(3, 8, blur: false), () => new[] { randn(4, 3, 8, 8) }),
        ["EfficientAttention"] = (() => new EfficientAttention(32, 4, 16, 16), () => new[] { randn(4, 32, 16, 16) }),
        // A residual scale of 0.5 (not 1e-3) so the N × N attention path dominates the output and its gradients.
        ["DotProductAttention"] = (() => WithParameter(new DotProductAttention(32, 4, 8, 8), "gamma", 0.5), () => new[] { randn(4, 32, 16, 16) }),
        ["DotProductAttention fused"] = (() => WithParameter(new DotProductAttention(32, 2, 16, 16, fused: true), "gamma", 0.5), () => new[] { randn(4, 32, 8, 8) }),
        ["SkipLayerExcitation"] = (() => new SkipLayerExcitation(128, 16), () => new[] { randn(4, 128, 8, 8), randn(4, 16, 32, 32) }),
        ["SkipLayerExcitation to 512"] = (() => new SkipLayerExcitation(64, 512), () => new[] { randn(2, 64, 8, 8), randn(2, 512, 4, 4) }),
        // AttributeGan64's last stage; a non-zero strength so the output and the strength's gradient carry the noise.
        ["NoiseInjection"] = (() => Scaled(new NoiseInjection(16), 0.7), () => new[] { randn(4, 16, 64, 64), randn(4, 128) }),
        ["OutputConv to 3"] = (() => new OutputConv(16, 3, tanh: true), () => new[] { randn(4, 16, 32, 32) }),
        ["InputConv from 3"] = (() => new InputConv(3, 16), () => new[] { randn(4, 3, 32, 32) }),
        ["PatchLogits to 1"] = (() => new PatchLogits(128), () => new[] { MemoryLayout.ChannelsLast(randn(4, 128, 8, 8)) }),
        ["PatchLogits 512"] = (() => new PatchLogits(512), () => new[] { MemoryLayout.ChannelsLast(randn(2, 512, 8, 8)) }),
        ["ContrastiveHead"] = (() => new ContrastiveHead(32, 16, 64), () => new[] { MemoryLayout.ChannelsLast(randn(4, 32, 16, 16)) }),
        ["AttributeProjection"] = (() => new AttributeProjection(16, 128), () => new[] { MemoryLayout.ChannelsLast(randn(4, 128, 8, 8)), OneHot(4, 16), randn(4, 25) }),
        ["AttributeGate"] = (() => new AttributeGate(16, 25), () => new[] { OneHot(4, 16), randn(4, 25) }),
        ["AttributeEmbedding"] = (() => new AttributeEmbedding(16, 128), () => new[] { OneHot(4, 16) }),
        ["ReconstructionDecoder to 3"] = (() => new ReconstructionDecoder(64, 8, 32, 3, NormKind.Batch), () => new[] { MemoryLayout.ChannelsLast(randn(4, 64, 8, 8)) }),
        ["Blur"] = (() => new Blur(24), () => new[] { randn(4, 24, 16, 16) }),
        // BigGAN's blocks (BigGan64's shapes; spectral normalisation as that spec has it), and the no-norm and 3-channel corners.
        ["LinearInitial spectral"] = (() => new LinearInitial(128, 128, 4, spectralNorm: true), () => new[] { randn(4, 128) }),
        ["ConditionalBatchNorm spectral"] = (() => new ConditionalBatchNorm(32, 16, NormKind.Batch, spectralNorm: true), () => new[] { randn(4, 32, 8, 8), OneHot(4, 16) }),
        ["ResidualUpBlock spectral"] = (() => new ResidualUpBlock(32, 16, 16, NormKind.Batch, spectralNorm: true), () => new[] { randn(4, 32, 32, 32), OneHot(4, 16) }),
        ["ResidualUpBlock to 3 without norm"] = (() => new ResidualUpBlock(6, 3, 5, NormKind.None), () => new[] { randn(4, 6, 8, 8), OneHot(4, 5) }),
        ["OutputConv after norm"] = (() => new OutputConv(16, 3, tanh: true, spectralNorm: true, preNorm: NormKind.Batch), () => new[] { randn(4, 16, 32, 32) }),
        ["ResidualDownBlock spectral"] = (() => new ResidualDownBlock(16, 32, spectralNorm: true), () => new[] { MemoryLayout.ChannelsLast(randn(4, 16, 32, 32)) }),
        ["ResidualDownBlock NCHW to 3"] = (() => new ResidualDownBlock(8, 3), () => new[] { randn(4, 8, 16, 16) }),
        ["ReluActivation"] = (() => new ReluActivation(), () => new[] { MemoryLayout.ChannelsLast(randn(4, 128, 4, 4)) }),
        ["PooledLogits spectral"] = (() => new PooledLogits(128, spectralNorm: true), () => new[] { MemoryLayout.ChannelsLast(randn(4, 128, 4, 4)).relu() }),
        // The auxiliary classifier on AttributeGan64's last map (16 levels), and spectral on Tiny's (5 levels).
        ["AttributeClassifierHead"] = (() => new AttributeClassifierHead(128, 16), () => new[] { MemoryLayout.ChannelsLast(randn(4, 128, 8, 8)) }),
        ["AttributeClassifierHead spectral"] = (() => new AttributeClassifierHead(32, 5, spectralNorm: true), () => new[] { MemoryLayout.ChannelsLast(randn(4, 32, 4, 4)) }),
        ["DotProductAttention BigGan64"] = (() => WithParameter(new DotProductAttention(64, 1, 8, 32, spectralNorm: true), "gamma", 0.5), () => new[] { randn(4, 64, 16, 16) }),
    };

    /// <summary>(B, width) rows of one-hot entries at random positions.</summary>
    private static Tensor OneHot(long batch, long width) =>
        nn.functional.one_hot(randint(width, new long[] { batch }), width).to(ScalarType.Float32);

    /// <summary>The block with every parameter set to <paramref name="value"/>.</summary>
    private static nn.Module WithParameter(nn.Module block, string name, double value)
    {
        using (no_grad())
            block.named_parameters().Single(p => p.name == name).parameter.fill_(value);
        return block;
    }

    private static nn.Module Scaled(nn.Module block, double value)
    {
        using (no_grad())
            foreach (var parameter in block.parameters()) parameter.fill_(value);
        return block;
    }
}
