using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AttributeGan.Models.Blocks;
using AttributeGan.Models.Specs;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>
/// Data-parallel training without MPI: two threads ("ranks"), each with its own copy of a module (same initial
/// state), run forward and backward on half of a batch with a per-rank mean loss and an in-memory all-reduce. The
/// result must be what one process computes on the whole batch: the same outputs, each rank's input gradient world ×
/// the single-process one (its loss averages over half as many samples), parameter gradients equal once averaged over
/// ranks (as the runtime does), and running statistics identical on both ranks and equal to the single process's.
/// </summary>
public sealed class SynchronisedBatchNormTwoRankTests(ITestOutputHelper output)
{
    private const int World = 2;

    [Theory]
    [InlineData(ScalarType.Float32, 1e-5, 1e-5, 1e-6)]
    [InlineData(ScalarType.Float64, 1e-12, 1e-12, 1e-12)]
    public void TwoRanksOnHalfBatchesMatchOneProcessOnTheFullBatch(ScalarType dtype, double outputTolerance, double gradientTolerance, double statisticsTolerance)
    {
        const long perRank = 4, channels = 3;
        torch.manual_seed(21);
        using var reference = nn.BatchNorm2d(channels);
        reference.to(dtype);
        using (torch.no_grad())
        {
            reference.weight.uniform_(0.5, 1.5);
            reference.bias!.uniform_(-0.5, 0.5);
            reference.running_mean!.uniform_(-1, 1);
            reference.running_var!.uniform_(0.5, 2);
        }
        var ranks = Enumerable.Range(0, World).Select(_ => new SynchronisedBatchNorm2d(channels)).ToArray();
        var group = new InMemoryReducerGroup(World);
        for (var r = 0; r < World; r++)
        {
            ranks[r].to(dtype);
            SynchronisedBatchNormTests.CopyState(reference, ranks[r]);
            Assert.Equal(1, SynchronisedBatchNorm2d.Attach(ranks[r], group.Rank(r)));
        }

        // Channel means far from zero, so the variance's E[x²] − mean² has digits to lose.
        var shape = new long[] { World * perRank, channels, 5, 4 };
        using var input = torch.randn(shape, dtype) * 2 + torch.arange(channels, dtype: dtype).view(1, channels, 1, 1) * 3;
        using var projection = torch.randn(shape, dtype);

        using var fullInput = input.clone().requires_grad_(true);
        using var fullOutput = reference.call(fullInput);
        (fullOutput * projection).mean().backward();

        var outputs = new Tensor[World];
        var inputGrads = new Tensor[World];
        RunRanks(r =>
        {
            var x = input.narrow(0, r * perRank, perRank).clone().requires_grad_(true);
            var y = ranks[r].call(x);                                                   // (perRank, C, 5, 4)
            (y * projection.narrow(0, r * perRank, perRank)).mean().backward();        // this rank's own mean loss
            outputs[r] = y.detach();
            inputGrads[r] = x.grad!;
        });

        var fullGrad = fullInput.grad!;
        double outputDiff = 0, inputGradDiff = 0;
        for (var r = 0; r < World; r++)
        {
            outputDiff = Math.Max(outputDiff, MaxAbs(outputs[r] - fullOutput.narrow(0, r * perRank, perRank)));
            inputGradDiff = Math.Max(inputGradDiff, MaxAbs(inputGrads[r] - fullGrad.narrow(0, r * perRank, perRank) * World));
        }
        inputGradDiff /= MaxAbs(fullGrad * World);
        var weightGradDiff = Relative(Average(ranks.Select(m => m.Weight.grad!)), reference.weight.grad!);
        var biasGradDiff = Relative(Average(ranks.Select(m => m.Bias.grad!)), reference.bias!.grad!);
        var meanDiff = MaxAbs(ranks[0].RunningMean - reference.running_mean!);
        var varDiff = MaxAbs(ranks[0].RunningVar - reference.running_var!);
        output.WriteLine($"{dtype}: output {outputDiff:E2}, dx/(world·dx) relative {inputGradDiff:E2}, dweight relative {weightGradDiff:E2}, " +
                         $"dbias relative {biasGradDiff:E2}, running mean {meanDiff:E2}, running var {varDiff:E2}");

        Assert.Equal(2, group.Reductions); // one forward (statistics), one backward (gradient sums)
        Assert.True(outputDiff <= outputTolerance, $"outputs differ by {outputDiff}");
        Assert.True(inputGradDiff <= gradientTolerance, $"input gradients differ from world × the full-batch ones by {inputGradDiff} (relative)");
        Assert.True(weightGradDiff <= gradientTolerance, $"averaged weight gradients differ by {weightGradDiff} (relative)");
        Assert.True(biasGradDiff <= gradientTolerance, $"averaged bias gradients differ by {biasGradDiff} (relative)");
        Assert.True(meanDiff <= statisticsTolerance, $"running means differ by {meanDiff}");
        Assert.True(varDiff <= statisticsTolerance, $"running variances differ by {varDiff}");
        Assert.Equal(BlockTestHelpers.Values(ranks[0].RunningMean), BlockTestHelpers.Values(ranks[1].RunningMean));
        Assert.Equal(BlockTestHelpers.Values(ranks[0].RunningVar), BlockTestHelpers.Values(ranks[1].RunningVar));
        Assert.All(ranks, m => Assert.Equal(1L, m.NumBatchesTracked.item<long>()));
        foreach (var m in ranks) m.Dispose();
    }

    [Fact]
    public void TwoRanksTrainTheTinyGeneratorAsOneProcessDoes()
    {
        const long perRank = 3;
        torch.manual_seed(22);
        using var full = new TinyGenerator();
        full.to(ScalarType.Float64);
        var ranks = Enumerable.Range(0, World).Select(_ => new TinyGenerator()).ToArray();
        var group = new InMemoryReducerGroup(World);
        for (var r = 0; r < World; r++)
        {
            ranks[r].to(ScalarType.Float64);
            SynchronisedBatchNormTests.CopyState(full, ranks[r]);
            // The initial block's two norms and one per stage (tiny.yaml has two stages).
            Assert.Equal(4, SynchronisedBatchNorm2d.Attach(ranks[r], group.Rank(r)));
        }

        using var noise = torch.randn(World * perRank, TinySpec.Instance.LatentSize, ScalarType.Float64);
        using var attributes = torch.rand(World * perRank, TinySpec.AttributeWidth, ScalarType.Float64);
        var imageShape = new long[] { World * perRank, TinySpec.Instance.ImageChannels, TinySpec.ImageResolution, TinySpec.ImageResolution };
        using var projection = torch.randn(imageShape, ScalarType.Float64);

        using var fullImages = full.call(noise, attributes);                          // (B, 3, 16, 16)
        (fullImages * projection).mean().backward();

        var images = new Tensor[World];
        RunRanks(r =>
        {
            var rows = (Start: r * perRank, Length: perRank);
            var y = ranks[r].call(noise.narrow(0, rows.Start, rows.Length), attributes.narrow(0, rows.Start, rows.Length));
            (y * projection.narrow(0, rows.Start, rows.Length)).mean().backward();
            images[r] = y.detach();
        });

        double imageDiff = 0;
        for (var r = 0; r < World; r++)
        {
            imageDiff = Math.Max(imageDiff, MaxAbs(images[r] - fullImages.narrow(0, r * perRank, perRank)));
        }
        var rankParameters = ranks.Select(g => g.named_parameters().ToDictionary(p => p.name, p => p.parameter)).ToArray();
        double gradientDiff = 0;
        foreach (var (name, parameter) in full.named_parameters())
        {
            // The excitation's context bias is frozen (a softmax ignores a shift: its gradient is analytically zero).
            if (!parameter.requires_grad) continue;
            gradientDiff = Math.Max(gradientDiff, Relative(Average(rankParameters.Select(p => p[name].grad!)), parameter.grad!, floor: 1e-12));
        }
        var rankBuffers = ranks.Select(g => g.named_buffers().ToDictionary(b => b.name, b => b.buffer)).ToArray();
        double bufferDiff = 0;
        foreach (var (name, buffer) in full.named_buffers())
        {
            Assert.Equal(BlockTestHelpers.Values(rankBuffers[0][name]), BlockTestHelpers.Values(rankBuffers[1][name]));
            bufferDiff = Math.Max(bufferDiff, MaxAbs(rankBuffers[0][name] - buffer));
        }
        output.WriteLine($"Tiny generator, float64: images {imageDiff:E2}, averaged parameter gradients relative {gradientDiff:E2}, buffers {bufferDiff:E2}");

        Assert.Equal(8, group.Reductions);
        Assert.True(imageDiff <= 1e-12, $"images differ by {imageDiff}");
        Assert.True(gradientDiff <= 1e-10, $"averaged parameter gradients differ by {gradientDiff} (relative)");
        Assert.True(bufferDiff <= 1e-12, $"running statistics differ by {bufferDiff}");
        foreach (var g in ranks) g.Dispose();
    }

    /// <summary>Runs <paramref name="rank"/> on <see cref="World"/> threads at once and rethrows the first failure.</summary>
    private static void RunRanks(Action<int> rank)
    {
        var failures = new Exception?[World];
        var threads = Enumerable.Range(0, World).Select(r => new Thread(() =>
        {
            try
            {
                rank(r);
            }
            catch (Exception e)
            {
                failures[r] = e;
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        if (failures.FirstOrDefault(f => f is not null) is { } failure) throw new AggregateException(failure);
    }

    private static Tensor Average(IEnumerable<Tensor> tensors)
    {
        // (A literal 0 would bind sum(ScalarType?) — the enum's zero — rather than a dimension.)
        return torch.stack(tensors.ToList()).mean(new long[] { 0 });
    }

    private static double MaxAbs(Tensor t) => t.abs().max().to(ScalarType.Float64).item<double>();

    private static double Relative(Tensor actual, Tensor expected, double floor = double.Epsilon) =>
        MaxAbs(actual - expected) / Math.Max(MaxAbs(expected), floor);
}
