using System;
using System.IO;
using System.Linq;
using AttributeGan.Models.Blocks;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static AttributeGan.Models.Tests.BlockTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>
/// SynchronisedBatchNorm2d where it must not synchronise (no reducer, one process, LocalBatch, eval) is nn.BatchNorm2d
/// bit for bit; its state is nn.BatchNorm2d's; Attach finds the right modules; a failing backward does not abort.
/// </summary>
public sealed class SynchronisedBatchNormTests
{
    [Fact]
    public void StateDictHasBatchNorm2dKeysDtypesShapesAndDefaults()
    {
        using var reference = nn.BatchNorm2d(6);
        using var norm = new SynchronisedBatchNorm2d(6);

        var expected = reference.state_dict().ToList();
        var actual = norm.state_dict().ToList();
        Assert.Equal(expected.Select(e => e.Key), actual.Select(a => a.Key));
        Assert.Equal(new[] { "weight", "bias", "running_mean", "running_var", "num_batches_tracked" }, actual.Select(a => a.Key));
        foreach (var ((key, want), (_, got)) in expected.Zip(actual))
        {
            Assert.True(want.dtype == got.dtype, $"{key}: {want.dtype} vs {got.dtype}");
            Assert.Equal(want.shape, got.shape);
            Assert.Equal(Values(want), Values(got));
        }
        Assert.Equal(new[] { "weight", "bias" }, norm.named_parameters().Select(p => p.name));
        Assert.Equal(1e-5, norm.Eps);
        Assert.Equal(0.1, norm.Momentum);
        Assert.True(norm.Synchronises);
        Assert.Null(norm.Reducer);
    }

    [Fact]
    public void ACheckpointOfBatchNorm2dLoadsUnchanged()
    {
        torch.manual_seed(3);
        using var reference = nn.BatchNorm2d(4);
        using (var x = torch.randn(5, 4, 3, 3) * 2 + 1)
        {
            reference.call(x).Dispose(); // moves the running statistics and the counter off their defaults
        }
        using (torch.no_grad())
        {
            reference.weight.uniform_(0.5, 1.5);
            reference.bias!.uniform_(-0.5, 0.5);
        }

        // As the checkpoints do: module.save / module.load through a BinaryWriter and BinaryReader.
        var bytes = new MemoryStream();
        using (var writer = new BinaryWriter(bytes, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            reference.save(writer);
        }
        bytes.Position = 0;
        using var norm = new SynchronisedBatchNorm2d(4);
        using (var reader = new BinaryReader(bytes))
        {
            norm.load(reader);
        }

        foreach (var (key, want) in reference.state_dict())
        {
            Assert.Equal(Values(want), Values(norm.state_dict()[key]));
        }
        Assert.Equal(1L, norm.NumBatchesTracked.item<long>());
    }

    public static TheoryData<string> UnsynchronisedSetups() => new() { "no reducer", "reducer of one process", "local_batch offered a reducer", "momentum null" };

    [Theory]
    [MemberData(nameof(UnsynchronisedSetups))]
    public void UnsynchronisedTrainingAndEvaluationAreBitIdenticalToBatchNorm2d(string setup)
    {
        torch.manual_seed(11);
        double? momentum = setup == "momentum null" ? null : 0.1;
        using var reference = nn.BatchNorm2d(3);
        reference.momentum = momentum; // the factory takes no null; the module does (cumulative average)
        using var norm = new SynchronisedBatchNorm2d(3, synchronise: setup != "local_batch offered a reducer", momentum: momentum);
        var offered = setup switch
        {
            "reducer of one process" => new LoneReducer(1),
            "local_batch offered a reducer" => new LoneReducer(2),
            _ => null,
        };
        if (offered is not null)
        {
            Assert.Equal(setup == "reducer of one process" ? 1 : 0, SynchronisedBatchNorm2d.Attach(norm, offered));
        }
        CopyState(reference, norm);

        for (var step = 0; step < 3; step++)
        {
            using var scope = torch.NewDisposeScope();
            var input = torch.randn(4, 3, 5, 2) * 3 + 2;
            var projection = torch.randn(4, 3, 5, 2);
            var (y1, dx1) = Step(reference, input, projection);
            var (y2, dx2) = Step(norm, input, projection);

            Assert.Equal(Values(y1), Values(y2));
            Assert.Equal(Values(dx1), Values(dx2));
            Assert.Equal(Values(reference.weight.grad!), Values(norm.Weight.grad!));
            Assert.Equal(Values(reference.bias!.grad!), Values(norm.Bias.grad!));
            Assert.Equal(Values(reference.running_mean!), Values(norm.RunningMean));
            Assert.Equal(Values(reference.running_var!), Values(norm.RunningVar));
            Assert.Equal(reference.num_batches_tracked!.item<long>(), norm.NumBatchesTracked.item<long>());
        }

        reference.eval();
        norm.eval();
        using (var input = torch.randn(2, 3, 4, 4))
        {
            Assert.Equal(Values(reference.call(input)), Values(norm.call(input)));
        }
        Assert.Equal(0, offered?.Calls ?? 0);
    }

    [Fact]
    public void EvaluationNeverCallsTheReducerAndEqualsBatchNorm2d()
    {
        torch.manual_seed(12);
        using var reference = nn.BatchNorm2d(3);
        using var norm = new SynchronisedBatchNorm2d(3);
        using (torch.no_grad())
        {
            reference.running_mean!.uniform_(-1, 1);
            reference.running_var!.uniform_(0.5, 2);
        }
        CopyState(reference, norm);
        var reducer = new LoneReducer(2);
        SynchronisedBatchNorm2d.Attach(norm, reducer);
        reference.eval();
        norm.eval();

        using var input = torch.randn(2, 3, 4, 4, requires_grad: true);
        Assert.Equal(Values(reference.call(input)), Values(norm.call(input)));
        Assert.Equal(0, reducer.Calls);
    }

    [Fact]
    public void AttachReachesEverySynchronisingNormAndNoLocalOne()
    {
        var reducer = new LoneReducer(2);
        using var up = new UpBlock(4, 4, blur: false, NormKind.Batch);
        using var initial = new InitialBlock(8, 5, 6, 4, 4, NormKind.Batch);
        using var decoder = new ReconstructionDecoder(32, 4, 32, 3, NormKind.Batch);
        using var local = new UpBlock(4, 4, blur: false, NormKind.LocalBatch);
        using var plain = new UpBlock(4, 4, blur: false, NormKind.None);

        Assert.Equal(1, SynchronisedBatchNorm2d.Attach(up, reducer));
        Assert.Equal(2, SynchronisedBatchNorm2d.Attach(initial, reducer));
        Assert.Equal(3, SynchronisedBatchNorm2d.Attach(decoder, reducer));
        Assert.Equal(0, SynchronisedBatchNorm2d.Attach(local, reducer));
        Assert.Equal(0, SynchronisedBatchNorm2d.Attach(plain, reducer));
        Assert.Single(local.modules().OfType<SynchronisedBatchNorm2d>(), n => !n.Synchronises && n.Reducer is null);
        Assert.All(decoder.modules().OfType<SynchronisedBatchNorm2d>(), n => Assert.Same(reducer, n.Reducer));

        Assert.Equal(3, SynchronisedBatchNorm2d.Detach(decoder));
        Assert.All(decoder.modules().OfType<SynchronisedBatchNorm2d>(), n => Assert.Null(n.Reducer));
    }

    [Fact]
    public void LocalBatchBlocksHaveTheSameParametersAndStateAsBatchBlocks()
    {
        using var batch = new UpBlock(4, 6, blur: true, NormKind.Batch);
        using var local = new UpBlock(4, 6, blur: true, NormKind.LocalBatch);
        Assert.Equal(batch.state_dict().Keys, local.state_dict().Keys);
        Assert.Equal(ParameterCount(batch), ParameterCount(local));
    }

    [Fact]
    public void AFailingBackwardIsKeptAndRethrownInsteadOfAbortingTheProcess()
    {
        torch.manual_seed(13);
        using var block = new UpBlock(3, 3, blur: false, NormKind.Batch);
        var reducer = new LoneReducer(2, failOnCall: 2); // call 1: forward statistics; call 2: backward sums
        SynchronisedBatchNorm2d.Attach(block, reducer);

        using var input = torch.randn(2, 3, 4, 4, requires_grad: true);
        using var output = block.call(input);
        output.sum().backward(); // must return: an exception escaping autograd would end the test host

        Assert.Equal(2, reducer.Calls);
        var norm = block.modules().OfType<SynchronisedBatchNorm2d>().Single();
        var kept = Assert.Throws<InvalidOperationException>(norm.ThrowIfBackwardFailed);
        Assert.Equal("reducer failed on purpose", kept.InnerException?.Message);
        Assert.Throws<InvalidOperationException>(() => SynchronisedBatchNorm2d.ThrowIfAnyBackwardFailed(block));
        Assert.Throws<InvalidOperationException>(() => block.call(input));
        Assert.Equal(2, reducer.Calls); // the failed module no longer communicates
    }

    [Fact]
    public void ForwardRejectsTheWrongChannelCount()
    {
        using var norm = new SynchronisedBatchNorm2d(3);
        var error = Assert.Throws<ArgumentException>(() => norm.call(torch.zeros(2, 4, 2, 2)));
        Assert.Contains("(B, 3, H, W)", error.Message);
        Assert.Throws<ArgumentException>(() => new SynchronisedBatchNorm2d(0));
    }

    private static (Tensor Output, Tensor InputGrad) Step(nn.Module<Tensor, Tensor> module, Tensor input, Tensor projection)
    {
        module.zero_grad();
        var x = input.detach().requires_grad_(true);
        var y = module.call(x);
        (y * projection).sum().backward();
        return (y.detach(), x.grad!);
    }

    /// <summary>Copies every parameter and buffer of <paramref name="from"/> into the same-named one of <paramref name="to"/>.</summary>
    internal static void CopyState(nn.Module from, nn.Module to)
    {
        var target = to.state_dict();
        using var noGrad = torch.no_grad();
        foreach (var (key, value) in from.state_dict())
        {
            target[key].copy_(value);
        }
    }
}
