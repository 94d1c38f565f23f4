using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests.Numerics;

/// <summary>
/// The check itself, on any machine: a block whose float32 backward is wrong (a stand-in for a defective kernel) is named with
/// what deviates and by how much, a right block next to it passes, and a non-finite gradient fails without a second draw.
/// </summary>
public sealed class NumericsCheckTests
{
    [Fact]
    public void A_block_with_a_wrong_input_gradient_is_named_and_its_neighbours_pass()
    {
        torch.manual_seed(1);
        using var network = new TwoBlocks(gradientScale: 0.5);

        var checks = NumericsCheck.CheckNetwork("probe", network, () => new TwoBlocks(gradientScale: 0.5), n => n.call(randn(4, 8, 6, 6)).Dispose());
        var report = new NumericsReport("probe", "cpu", 4, torch.get_num_threads(), checks, default);

        Assert.Equal(new[] { "good", "faulty" }, checks.Select(c => c.Block));
        Assert.True(checks[0].Passed, report.Summary());
        Assert.False(checks[1].Passed);
        Assert.True(checks[1].Redrawn);                                              // finite but over the tolerance: drawn again, failed again
        Assert.Equal("input 0 gradient", checks[1].Worst.Quantity);
        Assert.InRange(checks[1].Worst.RelativeError, 0.49, 0.51);                  // half the gradient is missing
        Assert.False(report.Passed);
        Assert.Contains("probe faulty (Faulty): input 0 gradient relative error 5.0e-1", report.Summary());
    }

    [Fact]
    public void A_non_finite_gradient_fails_at_once()
    {
        torch.manual_seed(2);
        using var network = new TwoBlocks(gradientScale: double.NaN);

        var checks = NumericsCheck.CheckNetwork("probe", network, () => new TwoBlocks(gradientScale: double.NaN), n => n.call(randn(4, 8, 6, 6)).Dispose());

        Assert.False(checks[1].Passed);
        Assert.False(checks[1].Redrawn);
        Assert.True(double.IsNaN(checks[1].Worst.RelativeError));
    }

    [Fact]
    public void Relative_error_is_zero_for_equal_values_and_NaN_for_non_finite_ones()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new[] { 3.0, 4.0 });

        Assert.Equal(0.0, Float64Reference.RelativeError(tensor(new[] { 3f, 4f }), reference));
        Assert.Equal(0.2, Float64Reference.RelativeError(tensor(new[] { 3f, 5f }), reference), 6);
        Assert.True(double.IsNaN(Float64Reference.RelativeError(tensor(new[] { 3f, float.PositiveInfinity }), reference)));
    }

    /// <summary>A right block (3×3 convolution, channels-last) followed by one that scales the gradient it passes back.</summary>
    private sealed class TwoBlocks : nn.Module<Tensor, Tensor>
    {
        private readonly Good good = new();
        private readonly Faulty faulty;

        public TwoBlocks(double gradientScale) : base(nameof(TwoBlocks))
        {
            faulty = new Faulty(gradientScale);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => faulty.call(good.call(x));
    }

    private sealed class Good : nn.Module<Tensor, Tensor>
    {
        private readonly Conv2d conv = nn.Conv2d(8, 3, 3, padding: 1);

        public Good() : base(nameof(Good)) => RegisterComponents();

        public override Tensor forward(Tensor x) => conv.call(Blocks.MemoryLayout.ForConvolution(x));
    }

    private sealed class Faulty : nn.Module<Tensor, Tensor>
    {
        private readonly double scale;

        public Faulty(double scale) : base(nameof(Faulty)) => this.scale = scale;

        public override Tensor forward(Tensor x) => ScaledGradient.apply(x, scale);
    }

    /// <summary>
    /// Identity forward; in float32 only, backward returns the gradient times a factor: the stand-in for a defective
    /// float32 kernel (a code error would be the same in both precisions, which the comparison cannot see).
    /// </summary>
    private sealed class ScaledGradient : torch.autograd.SingleTensorFunction<ScaledGradient>
    {
        public override string Name => nameof(ScaledGradient);

        public override Tensor forward(torch.autograd.AutogradContext ctx, params object[] vars)
        {
            ctx.save_data("scale", vars[1]);
            return ((Tensor)vars[0]).clone();
        }

        public override List<Tensor> backward(torch.autograd.AutogradContext ctx, Tensor gradOutput) =>
            new() { gradOutput.dtype == ScalarType.Float32 ? gradOutput * (double)ctx.get_data("scale") : gradOutput, null! };
    }
}
