using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>Shared assertions for the building-block tests.</summary>
internal static class BlockTestHelpers
{
    /// <summary>Sum of numel over the module's parameters (buffers excluded).</summary>
    public static long ParameterCount(nn.Module module) => module.parameters().Sum(p => p.numel());

    public static void AssertShape(Tensor tensor, params long[] expected) => Assert.Equal(expected, tensor.shape);

    /// <summary>
    /// Back-propagates a random projection of <paramref name="output"/> (so no symmetry can cancel a gradient) and
    /// asserts every parameter received a non-null, non-zero gradient, except those named in
    /// <paramref name="analyticallyZero"/>, whose gradient must be (numerically) zero.
    /// </summary>
    public static void AssertAllParametersGetGradients(nn.Module module, Tensor output, params string[] analyticallyZero)
    {
        var projection = torch.randn_like(output);
        var loss = (output * projection).sum();
        loss.backward();

        var names = new List<string>();
        foreach (var (name, parameter) in module.named_parameters())
        {
            names.Add(name);
            var grad = parameter.grad;
            if (!parameter.requires_grad)
            {
                // Frozen (an analytically gradient-free parameter): no gradient at all.
                Assert.Contains(name, analyticallyZero);
                Assert.Null(grad);
                continue;
            }
            Assert.True(grad is not null, $"parameter '{name}' has no gradient");
            var largest = grad!.abs().max().item<float>();
            if (analyticallyZero.Contains(name))
            {
                Assert.True(largest < 1e-5f, $"parameter '{name}' should have a vanishing gradient, got {largest}");
            }
            else
            {
                Assert.True(largest > 0f, $"parameter '{name}' has an all-zero gradient");
            }
        }

        Assert.NotEmpty(names);
        foreach (var expected in analyticallyZero)
        {
            Assert.Contains(expected, names);
        }
    }

    /// <summary>A parameter's values as doubles, in row-major order.</summary>
    public static double[] Values(nn.Module module, string parameterName)
    {
        var parameter = module.named_parameters().Single(p => p.name == parameterName).parameter;
        using var copy = parameter.detach().to(ScalarType.Float64).contiguous();
        return copy.data<double>().ToArray();
    }

    public static double[] Values(Tensor tensor)
    {
        using var copy = tensor.detach().to(ScalarType.Float64).contiguous();
        return copy.data<double>().ToArray();
    }

    public static double Sigmoid(double x) => 1.0 / (1.0 + System.Math.Exp(-x));

    public static void Softmax(double[] values)
    {
        var max = values.Max();
        var total = 0.0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = System.Math.Exp(values[i] - max);
            total += values[i];
        }
        for (var i = 0; i < values.Length; i++)
        {
            values[i] /= total;
        }
    }

    public static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(System.Math.Abs(expected[i] - actual[i]) <= tolerance,
                $"element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance})");
        }
    }
}
