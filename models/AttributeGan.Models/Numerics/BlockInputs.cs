using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Numerics;

/// <summary>
/// One block's inputs as a network pass gave them: detached copies with the same values and memory layout, and for each
/// whether it was one of the tensors the caller marked as external (a network input such as the noise).
/// </summary>
public sealed record CapturedInputs(IReadOnlyList<Tensor> Values, IReadOnlyList<bool> External);

/// <summary>
/// Captures what each direct child (block) of a network receives in one forward pass, with forward pre-hooks, so the
/// block can be re-run alone on exactly those inputs (the step profiler times it; the numerics check compares it with
/// its float64 reference). Children take one, two or three tensors; others are skipped.
/// </summary>
public static class BlockInputs
{
    /// <param name="network">The network whose direct children are captured.</param>
    /// <param name="forward">Runs one forward pass of <paramref name="network"/>; its own tensors are disposed after it.</param>
    /// <param name="external">Tensors whose copies are marked <see cref="CapturedInputs.External"/> (compared by reference).</param>
    /// <returns>By child name, copies the caller owns and disposes (they belong to no dispose scope).</returns>
    public static Dictionary<string, CapturedInputs> Capture(nn.Module network, Action forward, IReadOnlyCollection<Tensor>? external = null)
    {
        var captured = new Dictionary<string, CapturedInputs>();
        var outside = new HashSet<Tensor>(external ?? Array.Empty<Tensor>(), ReferenceEqualityComparer.Instance);
        var removers = new List<Action>();

        // Hooks run inside the networks' own dispose scopes: the copies leave every scope. The pre-hook sees the caller's
        // tensor objects, so a network input is still recognisable by reference.
        void Keep(string name, params Tensor[] inputs)
        {
            var values = new Tensor[inputs.Length];
            var marks = new bool[inputs.Length];
            for (int i = 0; i < inputs.Length; i++)
            {
                values[i] = inputs[i].detach().clone().DetachFromDisposeScope();       // clone keeps the strides
                marks[i] = outside.Contains(inputs[i]);
            }
            if (captured.Remove(name, out var earlier)) Dispose(earlier);           // a block called twice keeps its last inputs
            captured[name] = new CapturedInputs(values, marks);
        }

        foreach (var (name, child) in network.named_children())
        {
            switch (child)
            {
                case nn.Module<Tensor, Tensor> one:
                    removers.Add(one.register_forward_pre_hook((_, x) => { Keep(name, x); return x; }).remove);
                    break;
                case nn.Module<Tensor, Tensor, Tensor> two:
                    removers.Add(two.register_forward_pre_hook((_, a, b) => { Keep(name, a, b); return null; }).remove);
                    break;
                case nn.Module<Tensor, Tensor, Tensor, Tensor> three:
                    removers.Add(three.register_forward_pre_hook((_, a, b, c) => { Keep(name, a, b, c); return null; }).remove);
                    break;
            }
        }
        try
        {
            using var scope = NewDisposeScope();
            forward();
        }
        catch
        {
            foreach (var inputs in captured.Values) Dispose(inputs);
            throw;
        }
        finally
        {
            foreach (var remove in removers) remove();
        }
        return captured;
    }

    /// <summary>Disposes the copies of every captured block.</summary>
    public static void Dispose(IEnumerable<CapturedInputs> captured)
    {
        foreach (var inputs in captured) Dispose(inputs);
    }

    private static void Dispose(CapturedInputs inputs)
    {
        foreach (var tensor in inputs.Values) tensor.Dispose();
    }

    /// <summary>Calls a block of one of the supported signatures with <paramref name="inputs"/>.</summary>
    public static Tensor Call(nn.Module block, IReadOnlyList<Tensor> inputs) => block switch
    {
        nn.Module<Tensor, Tensor> one when inputs.Count == 1 => one.call(inputs[0]),
        nn.Module<Tensor, Tensor, Tensor> two when inputs.Count == 2 => two.call(inputs[0], inputs[1]),
        nn.Module<Tensor, Tensor, Tensor, Tensor> three when inputs.Count == 3 => three.call(inputs[0], inputs[1], inputs[2]),
        _ => throw new ArgumentException($"{block.GetType().Name} does not take {inputs.Count} tensor input(s).", nameof(block)),
    };
}
