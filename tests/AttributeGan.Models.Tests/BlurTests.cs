using System.Linq;
using AttributeGan.Models.Blocks;
using TorchSharp;
using Xunit;
using static AttributeGan.Models.Tests.BlockTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>Blur against hand-computed values; kernel buffer is non-persistent and follows conversions.</summary>
public sealed class BlurTests
{
    [Fact]
    public void CornerImpulse_SpreadsWithBinomialWeights()
    {
        // Reflect padding of a 3×3 map mirrors around the border row/column, so an impulse in the corner is
        // not duplicated: the output is the lower-right quarter of [1,2,1]⊗[1,2,1]/16.
        using var scope = torch.NewDisposeScope();
        using var blur = new Blur(1);
        var x = torch.zeros(1, 1, 3, 3);
        x[0, 0, 0, 0] = torch.tensor(1f);

        var y = Values(blur.call(x));

        AssertClose(new[] { 4 / 16.0, 2 / 16.0, 0, 2 / 16.0, 1 / 16.0, 0, 0, 0, 0 }, y, 1e-7);
    }

    [Fact]
    public void CentreImpulse_ReflectsIntoEveryPosition()
    {
        // Padding reflects the centre of a 3×3 map into all four padded rows/columns: each 1-D pass gives 1/2
        // everywhere, so every output is 1/4.
        using var scope = torch.NewDisposeScope();
        using var blur = new Blur(1);
        var x = torch.zeros(1, 1, 3, 3);
        x[0, 0, 1, 1] = torch.tensor(1f);

        var y = Values(blur.call(x));

        AssertClose(Enumerable.Repeat(0.25, 9).ToArray(), y, 1e-7);
    }

    [Fact]
    public void RowRamp_InteriorUnchangedBordersAveraged()
    {
        // Rows 0,1,2,3 hold 0,4,8,12 (constant along a row). Interior rows keep their value (the blur of a
        // linear ramp); the border rows see their reflected neighbour twice: (4+2·0+4)/4 = 2, (8+2·12+8)/4 = 10.
        // The second channel is constant 5 and must stay 5: channels are blurred independently.
        using var scope = torch.NewDisposeScope();
        using var blur = new Blur(2);
        var ramp = torch.arange(0, 16, 4, dtype: ScalarType.Float32).view(4, 1).expand(4, 3);
        var x = torch.stack(new[] { ramp, torch.full(4, 3, 5f) }).unsqueeze(0);   // (1, 2, 4, 3)

        var y = Values(blur.call(x));

        var expected = new double[]
        {
            2, 2, 2, 4, 4, 4, 8, 8, 8, 10, 10, 10,
            5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5,
        };
        AssertClose(expected, y, 1e-6);
    }

    [Fact]
    public void KernelIsANonPersistentBufferThatFollowsConversion()
    {
        torch.manual_seed(41);
        using var scope = torch.NewDisposeScope();
        using var blur = new Blur(3);

        var kernel = blur.get_buffer("kernel");
        Assert.NotNull(kernel);
        Assert.Equal(new long[] { 3, 1, 3, 3 }, kernel!.shape);
        Assert.Equal(ScalarType.Float32, kernel.dtype);
        AssertClose(new[] { 1 / 16.0, 2 / 16.0, 1 / 16.0, 2 / 16.0, 4 / 16.0, 2 / 16.0, 1 / 16.0, 2 / 16.0, 1 / 16.0 },
            Values(kernel[2, 0]), 1e-9);
        Assert.Empty(blur.state_dict());
        Assert.Empty(blur.parameters());

        blur.to(ScalarType.Float64);

        var converted = blur.get_buffer("kernel");
        Assert.NotNull(converted);
        Assert.Equal(ScalarType.Float64, converted!.dtype);
        Assert.Empty(blur.state_dict());

        var x = torch.randn(1, 3, 4, 4, dtype: ScalarType.Float64);
        var y = blur.call(x);
        Assert.Equal(ScalarType.Float64, y.dtype);
        AssertShape(y, 1, 3, 4, 4);
    }

    [Fact]
    public void UpBlockBlurIsNearestThenBlur()
    {
        // UpBlock computes nearest ×2 + Blur as one bilinear ×2 (align_corners false): the two must agree, at the
        // borders too, and the block must hold no kernel (nothing to convert or checkpoint).
        torch.manual_seed(42);
        using var scope = torch.NewDisposeScope();
        using var blur = new Blur(3);
        using var block = new UpBlock(3, 2, blur: true, NormKind.None);
        block.to(ScalarType.Float64);
        blur.to(ScalarType.Float64);
        var x = torch.randn(2, 3, 5, 4, dtype: ScalarType.Float64);

        var nearest = nn.functional.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Nearest);
        var expected = nn.functional.interpolate(x, scale_factor: new[] { 2.0, 2.0 }, mode: InterpolationMode.Bilinear, align_corners: false);
        Assert.True(blur.call(nearest).allclose(expected, rtol: 0, atol: 1e-12));

        var parameters = block.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var reference = nn.functional.glu(
            nn.functional.conv2d(blur.call(nearest), parameters["conv.weight"], parameters["conv.bias"], padding: new long[] { 1, 1 }), 1);
        var actual = block.call(x);
        AssertShape(actual, 2, 2, 10, 8);
        Assert.True(actual.allclose(reference, rtol: 0, atol: 1e-12));
        Assert.Empty(block.buffers());
        Assert.DoesNotContain(block.state_dict().Keys, key => key.Contains("kernel"));
    }

    [Fact]
    public void RandomInput_MatchesLoopReferenceWithReflectPadding()
    {
        const int c = 2, h = 4, w = 5;
        torch.manual_seed(43);
        using var scope = torch.NewDisposeScope();
        using var blur = new Blur(c);
        var x = torch.randn(1, c, h, w);

        var actual = Values(blur.call(x));

        var v = Values(x);
        var taps = new[] { 1.0, 2.0, 1.0 };
        static int Reflect(int i, int n) => i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
        var expected = new double[c * h * w];
        for (var ch = 0; ch < c; ch++)
            for (var i = 0; i < h; i++)
                for (var j = 0; j < w; j++)
                {
                    var sum = 0.0;
                    for (var a = -1; a <= 1; a++)
                        for (var b = -1; b <= 1; b++)
                            sum += taps[a + 1] * taps[b + 1] / 16.0 * v[(ch * h + Reflect(i + a, h)) * w + Reflect(j + b, w)];
                    expected[(ch * h + i) * w + j] = sum;
                }
        AssertClose(expected, actual, 1e-6);
    }
}
