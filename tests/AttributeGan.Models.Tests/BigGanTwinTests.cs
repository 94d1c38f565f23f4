using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Specs;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace AttributeGan.Models.Tests;

/// <summary>
/// BigGan64 as compiled from specs/biggan-64.yaml is BigGAN as written out here by hand: functional TorchSharp calls
/// on the generated networks' weights (read from their state dicts by name), with this file's own spectral
/// normalisation, conditional batch norm, residual blocks and attention. No block class, no spec, no generated code is
/// used on this side, so a wiring, block or compiler mistake (a missing shortcut, a norm in the wrong place, an
/// attention at the wrong resolution, a projection that pools the wrong map) makes the outputs differ.
/// </summary>
public sealed class BigGanTwinTests
{
    private static readonly IGanSpec Spec = BigGan64Spec.Instance;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_generator_is_BigGAN_written_by_hand(bool training)
    {
        torch.manual_seed(3);
        using var scope = NewDisposeScope();
        using var generator = Spec.CreateGenerator();
        generator.train(training);
        // The weights as they are before the pass (a training pass updates the spectral norms' u and the running statistics).
        var w = Weights(generator);
        var (noise, attributes) = Inputs(4);

        var expected = generator.call(noise, attributes);                                // (4, 3, 64, 64)
        var actual = new HandGenerator(w, training).Forward(noise, attributes);

        AssertClose(expected, actual);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_discriminator_is_BigGAN_written_by_hand(bool training)
    {
        torch.manual_seed(4);
        using var scope = NewDisposeScope();
        using var discriminator = Spec.CreateDiscriminator();
        discriminator.train(training);
        var w = Weights(discriminator);
        var images = rand(4, 3, 64, 64) * 2 - 1;
        var (_, attributes) = Inputs(4);

        using var output = discriminator.call(images, attributes, DiscriminatorHeads.All(quadrant: 1));
        var actual = new HandDiscriminator(w, training).Forward(images, attributes);    // (4, 1)

        Assert.Equal(new long[] { 4, 1 }, output.Logits.shape);
        AssertClose(output.Logits, actual);
    }

    private static Dictionary<string, Tensor> Weights(nn.Module network) =>
        network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone());

    private static (Tensor Noise, Tensor Attributes) Inputs(long batch)
    {
        var noise = randn(batch, Spec.LatentSize);
        // One level per attribute, concatenated one-hot (16 wide).
        var attributes = torch.cat(Spec.Attributes.Attributes
            .Select(a => F.one_hot(randint(a.Levels.Count, new[] { batch }), a.Levels.Count).to(ScalarType.Float32)).ToArray(), 1);
        return (noise, attributes);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        double difference = (expected - actual).abs().max().item<float>();
        double scale = expected.abs().max().item<float>();
        Assert.True(difference <= 1e-4 * Math.Max(1.0, scale), $"max difference {difference:e2} (output scale {scale:e2})");
    }

    /// <summary>Weight access with spectral normalisation as torch.nn.utils.spectral_norm computes it (one power step from u).</summary>
    private abstract class HandNetwork(Dictionary<string, Tensor> w, bool training)
    {
        protected Tensor Weight(string layer)
        {
            var weight = w[layer + ".weight"];
            if (!w.TryGetValue(layer + ".weight_u", out var u)) return weight;
            var matrix = weight.flatten(1);                                              // (out, in·k·k)
            var v = F.normalize(matrix.t().mv(u), p: 2, dim: 0, eps: 1e-12);
            if (training) u = F.normalize(matrix.mv(v), p: 2, dim: 0, eps: 1e-12);
            return weight / u.dot(matrix.mv(v));
        }

        protected Tensor? Bias(string layer) => w.TryGetValue(layer + ".bias", out var bias) ? bias : null;

        protected Tensor Conv(string layer, Tensor x, long padding) => F.conv2d(x, Weight(layer), Bias(layer), padding: new[] { padding, padding });

        protected Tensor Linear(string layer, Tensor x) => F.linear(x, Weight(layer), Bias(layer));

        /// <summary>nn.BatchNorm2d: batch statistics when training, running ones otherwise.</summary>
        protected Tensor BatchNorm(string layer, Tensor x) =>
            F.batch_norm(x, w[layer + ".running_mean"].clone(), w[layer + ".running_var"].clone(), w[layer + ".weight"], w[layer + ".bias"], training, 0.1, 1e-5);

        /// <summary>SAGAN/BigGAN self-attention (one head here) with this language's residual scale and GLU feed-forward.</summary>
        protected Tensor Attention(string layer, Tensor x, long keyDim)
        {
            long b = x.shape[0], c = x.shape[1], n = x.shape[2] * x.shape[3];
            var q = Conv(layer + ".to_q", x, 0).view(b, -1, n).transpose(1, 2);          // (B, N, dk)
            var k = Conv(layer + ".to_k", x, 0).view(b, -1, n);                          // (B, dk, N)
            var v = Conv(layer + ".to_v", x, 0).view(b, -1, n).transpose(1, 2);          // (B, N, dv)
            var attended = torch.bmm(torch.bmm(q, k).div(Math.Sqrt(keyDim)).softmax(2), v); // (B, N, dv)
            var map = attended.transpose(1, 2).reshape(b, -1, x.shape[2], x.shape[3]);   // (B, dv, H, W)
            var y = x + w[layer + ".gamma"] * Conv(layer + ".to_out", map, 0);           // (B, C, H, W)
            return y + Conv(layer + ".ff_out", F.glu(Conv(layer + ".ff_in", y, 0), 1), 0);
        }
    }

    /// <summary>BigGAN's generator (Brock et al. 2019, Fig. 15a without the hierarchical latent), BigGan64's sizes.</summary>
    private sealed class HandGenerator(Dictionary<string, Tensor> w, bool training) : HandNetwork(w, training)
    {
        public Tensor Forward(Tensor z, Tensor y)
        {
            var x = Linear("initial.linear", z).view(-1, 128, 4, 4);                     // (B, 128, 4, 4)
            x = Block("stage8", x, y);                                                   // (B, 128, 8, 8)
            x = Block("stage16", x, y);                                                  // (B, 64, 16, 16)
            x = Attention("attention16", x, keyDim: 8);
            x = Block("stage32", x, y);                                                  // (B, 32, 32, 32)
            x = Block("stage64", x, y);                                                  // (B, 16, 64, 64)
            x = F.relu(BatchNorm("to_image.norm", x));
            return torch.tanh(Conv("to_image.conv", x, 1));                              // (B, 3, 64, 64)
        }

        /// <summary>ReLU(CBN) → ×2 → conv3×3 → ReLU(CBN) → conv3×3, plus conv1×1 of the up-sampled input.</summary>
        private Tensor Block(string name, Tensor x, Tensor y)
        {
            var h = F.relu(ConditionalNorm(name + ".norm1", x, y));
            h = Conv(name + ".conv1", Up(h), 1);
            h = F.relu(ConditionalNorm(name + ".norm2", h, y));
            h = Conv(name + ".conv2", h, 1);
            return h + Conv(name + ".shortcut", Up(x), 0);
        }

        /// <summary>BN(x)·(1 + G y) + B y per channel.</summary>
        private Tensor ConditionalNorm(string name, Tensor x, Tensor y)
        {
            long c = x.shape[1];
            var gain = 1 + Linear(name + ".to_gain", y).view(-1, c, 1, 1);
            var bias = Linear(name + ".to_bias", y).view(-1, c, 1, 1);
            return BatchNorm(name + ".norm", x) * gain + bias;
        }

        private static Tensor Up(Tensor x) => F.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
    }

    /// <summary>BigGAN's projection discriminator (Fig. 15b), BigGan64's sizes, after this language's 3×3 stem.</summary>
    private sealed class HandDiscriminator(Dictionary<string, Tensor> w, bool training) : HandNetwork(w, training)
    {
        public Tensor Forward(Tensor images, Tensor y)
        {
            var x = F.leaky_relu(Conv("from_image.conv", images, 1), 0.1);               // (B, 16, 64, 64)
            x = Block("stage32", x);                                                     // (B, 32, 32, 32)
            x = Block("stage16", x);                                                     // (B, 64, 16, 16)
            x = Attention("attention16", x, keyDim: 8);
            x = Block("stage8", x);                                                      // (B, 128, 8, 8)
            x = Block("stage4", x);                                                      // (B, 128, 4, 4)
            var pooled = F.relu(x).sum(new long[] { 2, 3 });                             // (B, 128)
            var projection = (Linear("projection.embed", y) * pooled).sum(1, keepdim: true); // (B, 1)
            return Linear("logits.linear", pooled) + projection;                         // (B, 1)
        }

        /// <summary>conv3×3(ReLU) → conv3×3(ReLU) → avg-pool, plus avg-pool(conv1×1(x)).</summary>
        private Tensor Block(string name, Tensor x)
        {
            var h = Conv(name + ".conv1", F.relu(x), 1);
            h = Conv(name + ".conv2", F.relu(h), 1);
            return F.avg_pool2d(h, 2) + F.avg_pool2d(Conv(name + ".shortcut", x, 0), 2);
        }
    }
}
