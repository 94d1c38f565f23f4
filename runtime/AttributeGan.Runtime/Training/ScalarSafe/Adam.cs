using System;
using System.Collections.Generic;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Training.ScalarSafe;

/// <summary>
/// TorchSharp's Adam with every Scalar of its update held for the native calls that read it.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <see cref="Adam"/>.step converts β1, 1 − β1, ε, the step size etc. to temporary Scalars, which a
/// garbage collection on another thread can free while libtorch reads them (docs/results/scalar-lifetime.md). This is the
/// same update, operation for operation and with the same Scalar values and types, so it is bit-identical to Adam
/// (a test holds it so in float32 and float64); it keeps Adam's parameter groups, state objects and options, so
/// <c>save_state_dict</c>/<c>load_state_dict</c> read and write exactly what Adam's do and old checkpoints load. It is
/// named Adam because TorchSharp writes the optimiser's type name into the saved state and refuses another name on load.
/// </remarks>
public sealed class Adam : TorchSharp.Modules.Adam
{
    public Adam(IEnumerable<Parameter> parameters, double lr = 1e-3, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8,
        double weightDecay = 0, bool amsgrad = false, bool maximize = false)
        : base(parameters, lr, beta1, beta2, eps, weightDecay, amsgrad, maximize)
    {
    }

    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(Update, closure);

    private void Update(ParamGroup group)
    {
        var options = group.Options;
        double beta1 = options.beta1!.Value, beta2 = options.beta2!.Value, weightDecay = options.weight_decay!.Value, eps = options.eps!.Value;
        bool amsgrad = options.amsgrad!.Value, maximize = options.maximize!.Value;
        double lr = options.LearningRate!.Value;

        // The group's constants, held for the whole loop.
        using var beta1Scalar = beta1.ToScalar();
        using var beta2Scalar = beta2.ToScalar();
        using var oneMinusBeta1 = (1 - beta1).ToScalar();
        using var oneMinusBeta2 = (1 - beta2).ToScalar();
        using var epsScalar = eps.ToScalar();
        using var weightDecayScalar = weightDecay.ToScalar();

        foreach (var param in group.Parameters)
        {
            var state = (State)_state[param.Handle];
            var grad = param.grad;                                                           // param's shape
            if (grad is null) continue;
            if (maximize) grad = -grad;

            state.step += 1;
            var biasCorrection1 = 1 - Math.Pow(beta1, state.step);
            var biasCorrection2 = 1 - Math.Pow(beta2, state.step);
            if (weightDecay != 0) grad = grad.add(param, weightDecayScalar);

            state.exp_avg.mul_(beta1Scalar).add_(grad, oneMinusBeta1);                       // m ← β1·m + (1 − β1)·g
            state.exp_avg_sq.mul_(beta2Scalar).addcmul_(grad, grad.conj(), oneMinusBeta2);    // v ← β2·v + (1 − β2)·g²

            using var sqrtBiasCorrection2 = Math.Sqrt(biasCorrection2).ToScalar();
            Tensor denom;                                                                    // √v̂ + ε
            if (amsgrad)
            {
                var previous = state.max_exp_avg_sq;
                state.max_exp_avg_sq = torch.maximum(previous, state.exp_avg_sq).DetachFromDisposeScope();
                previous.Dispose();
                denom = state.max_exp_avg_sq.sqrt().div(sqrtBiasCorrection2).add_(epsScalar, Scalars.One);
            }
            else
            {
                denom = state.exp_avg_sq.sqrt().div(sqrtBiasCorrection2).add_(epsScalar, Scalars.One);
            }

            using var negativeStepSize = (-(lr / biasCorrection1)).ToScalar();
            param.addcdiv_(state.exp_avg, denom, negativeStepSize);                            // θ ← θ − lr/(1 − β1ᵗ)·m / (√v̂ + ε)
        }
    }
}
