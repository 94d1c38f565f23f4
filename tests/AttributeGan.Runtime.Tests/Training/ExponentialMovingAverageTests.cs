using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public class ExponentialMovingAverageTests
{
    [Fact]
    public void Copies_before_start_then_blends_every_interval_and_copies_buffers()
    {
        torch.manual_seed(41);
        using var generator = TinySpec.Instance.CreateGenerator();
        generator.to(ScalarType.Float64);
        var settings = new EmaSettings(Decay: 0.75, Start: 3, Every: 2);
        using var ema = new ExponentialMovingAverage(generator, settings);
        Assert.NotEmpty(Buffers(generator));

        var blended = new List<long>();
        for (long step = 0; step < 10; step++)
        {
            Perturb(generator);
            var before = Snapshot(ema.Generator);
            var current = Snapshot(generator);

            ema.Update(step);

            var after = Snapshot(ema.Generator);
            foreach (var (name, value) in after.Parameters)
            {
                var old = before.Parameters[name];
                var now = current.Parameters[name];
                for (var j = 0; j < value.Length; j++)
                {
                    double expected = step < 3 ? now[j]
                        : (step - 3) % 2 == 0 ? 0.75 * old[j] + 0.25 * now[j]
                        : old[j];
                    Assert.Equal(expected, value[j], 1e-12);
                }
            }
            bool updates = step < 3 || (step - 3) % 2 == 0;
            foreach (var (name, value) in after.Buffers)
            {
                Assert.Equal(updates ? current.Buffers[name] : before.Buffers[name], value);
            }
            if (ema.Blends(step)) blended.Add(step);
        }
        Assert.Equal(new long[] { 3, 5, 7, 9 }, blended);
    }

    [Fact]
    public void With_a_rampup_the_decay_grows_with_the_steps_trained_until_it_reaches_the_configured_one()
    {
        torch.manual_seed(43);
        using var generator = TinySpec.Instance.CreateGenerator();
        generator.to(ScalarType.Float64);
        var settings = new EmaSettings(Decay: 0.9, Start: 0, Every: 1, Rampup: 0.5);
        using var ema = new ExponentialMovingAverage(generator, settings);

        for (long step = 0; step < 20; step++)
        {
            Perturb(generator);
            var before = Snapshot(ema.Generator).Parameters;
            var current = Snapshot(generator).Parameters;
            ema.Update(step);
            var after = Snapshot(ema.Generator).Parameters;

            // Half-life of the average at most 0.5·step steps: decay 0.5^(1 / (0.5·step)) = 0.25^(1/step), capped at 0.9
            // (reached from step 14 on: 0.25^(1/13) = 0.899, 0.25^(1/14) = 0.906); step 0 copies.
            double d = step == 0 ? 0 : Math.Min(0.9, Math.Pow(0.25, 1.0 / step));
            Assert.Equal(d, settings.DecayAt(step), 15);
            foreach (var (name, value) in after)
            {
                for (var j = 0; j < value.Length; j++) Assert.Equal(d * before[name][j] + (1 - d) * current[name][j], value[j], 1e-12);
            }
        }
        Assert.Equal(0.5, settings.DecayAt(2), 15);
        Assert.Equal(0.9, settings.DecayAt(14), 15);
        Assert.True(settings.DecayAt(13) < 0.9);
    }

    [Fact]
    public void Without_a_rampup_the_decay_is_the_configured_one_at_every_step()
    {
        var settings = new EmaSettings(Decay: 0.995, Start: 2000, Every: 10);
        Assert.All(new long[] { 0, 1, 2000, 20000 }, step => Assert.Equal(0.995, settings.DecayAt(step)));
        // 0.995 every 10 steps halves old weights' share in 10·ln 0.5 / ln 0.995 ≈ 1,383 steps; a 5 % ramp-up reaches that
        // half-life at step 27,660 and is below it before.
        var ramped = settings with { Rampup = 0.05 };
        Assert.Equal(Math.Pow(0.5, 10 / (0.05 * 3000)), ramped.DecayAt(3000), 15);
        Assert.Equal(0.995, ramped.DecayAt(30000), 15);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_rampup_outside_0_to_1_is_refused(double rampup)
    {
        using var generator = TinySpec.Instance.CreateGenerator();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(generator, new EmaSettings(0.9, 0, 1, rampup)));
        Assert.Contains("ramp-up", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Starts_as_an_exact_copy_in_eval_mode_without_gradients_on_the_same_dtype()
    {
        torch.manual_seed(42);
        using var generator = TinySpec.Instance.CreateGenerator();
        generator.to(ScalarType.Float64);
        using var ema = new ExponentialMovingAverage(generator);

        Assert.Equal(TinySpec.Instance.Training.Ema, ema.Settings);
        Assert.False(ema.Generator.training);
        Assert.True(generator.training);
        Assert.All(ema.Generator.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(ema.Generator.parameters(), p => Assert.Equal(ScalarType.Float64, p.dtype));
        var copy = Snapshot(ema.Generator);
        var source = Snapshot(generator);
        Assert.Equal(source.Parameters.Keys.Order(), copy.Parameters.Keys.Order());
        foreach (var (name, value) in source.Parameters) Assert.Equal(value, copy.Parameters[name]);

        // The copy owns its weights: changing the generator between update steps leaves it alone.
        Perturb(generator);
        Assert.Equal(copy.Parameters.First().Value, Snapshot(ema.Generator).Parameters.First().Value);
    }

    [Fact]
    public void Updates_allocate_nothing_that_outlives_them()
    {
        torch.manual_seed(43);
        using var generator = TinySpec.Instance.CreateGenerator();
        using var ema = new ExponentialMovingAverage(generator, new EmaSettings(0.9, 2, 1));
        ema.Update(0);
        ema.Update(5);
        GC.Collect();
        GC.WaitForPendingFinalizers();                                                  // tensors other tests leaked die now, not mid-count
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
        for (long step = 0; step < 20; step++) ema.Update(step);
        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void Invalid_schedules_are_rejected()
    {
        using var generator = TinySpec.Instance.CreateGenerator();
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(generator, new EmaSettings(1.5, 0, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(generator, new EmaSettings(0.9, -1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialMovingAverage(generator, new EmaSettings(0.9, 0, 0)));
    }

    private sealed record State(Dictionary<string, double[]> Parameters, Dictionary<string, double[]> Buffers);

    private static State Snapshot(GanGenerator g) => new(
        g.named_parameters().ToDictionary(p => p.name, p => TensorData.Flat(p.parameter)),
        Buffers(g).ToDictionary(b => b.name, b => TensorData.Flat(b.buffer)));

    private static List<(string name, Tensor buffer)> Buffers(GanGenerator g) => g.named_buffers().ToList();

    /// <summary>Moves every parameter and buffer of the generator, as a training step would.</summary>
    private static void Perturb(GanGenerator g)
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        foreach (var p in g.parameters()) p.add_(torch.randn_like(p));
        foreach (var (_, b) in g.named_buffers())
        {
            if (b.is_floating_point()) b.add_(torch.rand_like(b));
            else b.add_(1);
        }
    }
}
