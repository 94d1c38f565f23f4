using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Numerics;

/// <summary>How far one float32 result is from its float64 reference: ‖a − r‖₂ / ‖r‖₂ (NaN when a is not finite).</summary>
/// <param name="Quantity">What was compared: <c>output</c>, <c>input 0 gradient</c>, <c>conv.weight gradient</c>, …</param>
public sealed record Deviation(string Quantity, double RelativeError)
{
    public bool IsFinite => double.IsFinite(RelativeError);

    /// <summary>Orders deviations so that a non-finite one is the worst.</summary>
    public double Severity => IsFinite ? RelativeError : double.PositiveInfinity;
}

/// <summary>
/// Holds a module's float32 forward pass and gradients against the same module in float64. libtorch computes float64
/// convolutions and matrix products with its own reference kernels (oneDNN has no float64 path), so the comparison is
/// independent of the fast kernels it checks.
/// </summary>
public static class Float64Reference
{
    /// <summary>
    /// Largest relative error a float32 result may have. Honest float32 rounding stays far below it: most quantities
    /// deviate by 1e-7 to 1e-5; the attention's query weights, whose gradient passes a softmax over nearly equal key
    /// channels, up to 7e-3 (AttributeGan512); a pre-activation that float32 rounds to the other side of a LeakyReLU
    /// kink moves the gradients of the weights before it by up to 1.5e-2 (<see cref="NumericsCheck"/> re-draws such a
    /// block). The defects it exists to catch give 0.13 to 1 or NaN.
    /// </summary>
    public const double Tolerance = 5e-2;

    /// <summary>Whether every deviation is finite and within <see cref="Tolerance"/>.</summary>
    public static bool Agrees(IEnumerable<Deviation> deviations) => deviations.All(d => d.IsFinite && d.RelativeError <= Tolerance);

    /// <summary>
    /// A float64 twin of <paramref name="module"/>: <paramref name="create"/> builds a second instance, which takes
    /// <paramref name="module"/>'s parameters and buffers and is converted to float64.
    /// </summary>
    public static T Twin<T>(T module, Func<T> create) where T : nn.Module
    {
        var twin = create();
        using (no_grad())
        {
            twin.to(module.parameters().FirstOrDefault()?.device ?? CPU);
            twin.load_state_dict(module.state_dict());
        }
        twin.to(ScalarType.Float64);
        return twin;
    }

    /// <summary>
    /// Runs <paramref name="single"/> (float32) and <paramref name="reference"/> (its float64 twin, same parameters) on
    /// the same <paramref name="inputs"/> in training mode, back-propagates the same random upstream gradient through both,
    /// and returns the deviation of the output, of every floating-point input's gradient and of every parameter's gradient.
    /// Leaves the modules' gradients cleared.
    /// </summary>
    /// <param name="inputs">float32 inputs, in the layout the block receives in a network pass (the layout selects kernels).</param>
    /// <param name="seed">Seeds the upstream gradient.</param>
    public static IReadOnlyList<Deviation> Compare(nn.Module single, nn.Module reference, IReadOnlyList<Tensor> inputs, long seed = 0)
    {
        using var scope = NewDisposeScope();
        var (output32, inputGradients32, parameterGradients32) = Run(single, inputs, seed, ScalarType.Float32);
        var (output64, inputGradients64, parameterGradients64) = Run(reference, inputs, seed, ScalarType.Float64);

        var deviations = new List<Deviation> { new("output", RelativeError(output32, output64)) };
        for (int i = 0; i < inputGradients32.Count; i++)
        {
            if (inputGradients32[i] is { } g32 && inputGradients64[i] is { } g64)
                deviations.Add(new Deviation($"input {i} gradient", RelativeError(g32, g64)));
        }
        foreach (var (name, g32) in parameterGradients32)
        {
            deviations.Add(new Deviation($"{name} gradient", RelativeError(g32, parameterGradients64[name])));
        }
        return deviations;
    }

    /// <summary>‖actual − reference‖₂ / ‖reference‖₂ in float64; NaN if <paramref name="actual"/> has a non-finite value.</summary>
    public static double RelativeError(Tensor actual, Tensor reference)
    {
        using var scope = NewDisposeScope();
        var a = actual.detach().to(ScalarType.Float64);
        var r = reference.detach().to(ScalarType.Float64);
        if (!a.isfinite().all().item<bool>()) return double.NaN;
        double norm = r.norm().item<double>();
        double difference = (a - r).norm().item<double>();
        // A reference that is zero everywhere: the float32 result must be zero too (up to rounding of nothing).
        return norm > 0 ? difference / norm : difference == 0 ? 0 : double.PositiveInfinity;
    }

    private static (Tensor Output, List<Tensor?> InputGradients, Dictionary<string, Tensor> ParameterGradients) Run(
        nn.Module module, IReadOnlyList<Tensor> inputs, long seed, ScalarType dtype)
    {
        module.train();
        module.zero_grad();
        // Same values in both precisions; .to() keeps the strides, so each run sees the layout the network gives the block.
        var leaves = inputs.Select(x => x.is_floating_point() ? x.detach().to(dtype).requires_grad_(true) : x).ToArray();
        var output = BlockInputs.Call(module, leaves);                                  // float32 or float64
        using var generator = new torch.Generator((ulong)seed, output.device);
        var upstream = randn(output.shape, dtype: ScalarType.Float32, device: output.device, generator: generator)
            .to(dtype);                                                                 // the same float32 values in both runs
        output.backward(new[] { upstream });

        var inputGradients = leaves.Select(x => x.requires_grad ? x.grad?.detach().clone() : null).ToList();
        var parameterGradients = module.named_parameters()
            .Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.detach().clone());
        module.zero_grad();
        return (output.detach(), inputGradients, parameterGradients);
    }
}
