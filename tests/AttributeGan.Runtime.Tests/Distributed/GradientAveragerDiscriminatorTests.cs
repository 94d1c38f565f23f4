using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Distributed;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>
/// The overlap bookkeeping on a real generated discriminator (every block kind of the tiny spec: attention with its
/// own parameter, projection, contrastive head, reconstruction decoders), called on reals with every head and on
/// fakes for logits only, as the discriminator step does.
/// </summary>
public class GradientAveragerDiscriminatorTests
{
    private readonly ITestOutputHelper _output;

    public GradientAveragerDiscriminatorTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void A_discriminator_step_averages_to_the_local_gradients_with_buckets_started_during_backward()
    {
        torch.manual_seed(11);
        var spec = TinySpec.Instance;
        using var discriminator = spec.CreateDiscriminator();
        discriminator.train();
        var real = torch.randn(2, spec.ImageChannels, spec.Resolution, spec.Resolution);   // (B, C, R, R)
        var fake = torch.randn(2, spec.ImageChannels, spec.Resolution, spec.Resolution);
        var attributes = torch.rand(2, spec.Attributes.Width);                              // (B, A)
        // Spectral normalisation moves its power-iteration vectors on every training pass: each step starts from the
        // buffers the reference started from, so the same parameters give the same gradients.
        var buffers = discriminator.named_buffers().ToDictionary(b => b.name, b => b.buffer.clone());
        void RestoreBuffers()
        {
            using var noGrad = no_grad();
            foreach (var (name, buffer) in discriminator.named_buffers()) buffer.copy_(buffers[name]);
        }
        var reference = Gradients(discriminator, () => Loss(discriminator, real, fake, attributes));

        using var averager = new GradientAverager(new TwinRankCollectives(), discriminator, bucketBytes: 16 << 10);
        for (var step = 0; step < 2; step++)
        {
            RestoreBuffers();
            discriminator.zero_grad();
            averager.Arm();
            Loss(discriminator, real, fake, attributes).backward();
            averager.Average();   // throws if any early bucket's gradients changed after being sent
            foreach (var (name, p) in discriminator.named_parameters())
            {
                if (reference.TryGetValue(name, out var expected)) Assert.True(p.grad!.Equals(expected), $"step {step}: {name}");
                else Assert.Null(p.grad);
            }
        }

        _output.WriteLine($"{averager.BucketsStartedDuringBackward} of {averager.BucketCount} buckets started during backward");
        Assert.True(averager.BucketsStartedDuringBackward > 0, $"{averager.BucketsStartedDuringBackward} of {averager.BucketCount}");
    }

    private static Tensor Loss(GanDiscriminator d, Tensor real, Tensor fake, Tensor attributes)
    {
        var onReal = d.call(real, attributes, DiscriminatorHeads.All(quadrant: 1));
        var onFake = d.call(fake, attributes, DiscriminatorHeads.LogitsOnly);
        var loss = nn.functional.relu(1 - onReal.Logits).mean() + nn.functional.relu(1 + onFake.Logits).mean();
        if (onReal.Embedding is not null) loss = loss + (onReal.Embedding * onReal.AttributeEmbedding!).sum(1).mean();
        foreach (var image in onReal.Reconstructions) loss = loss + image.square().mean();
        return loss;
    }

    private static Dictionary<string, Tensor> Gradients(GanDiscriminator d, System.Func<Tensor> loss)
    {
        d.zero_grad();
        loss().backward();
        return d.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }
}
