using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Models.Numerics;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// Some parameters' gradients reduced together through one flat buffer: one non-blocking all-reduce per bucket
/// instead of one per parameter. Gradients are copied in when the bucket starts and copied back (averaged) when it
/// finishes; the parameters' own gradient tensors are never replaced, so zero_grad in either style keeps working.
/// </summary>
internal sealed class GradientBucket : IDisposable
{
    private readonly Parameter[] _parameters;
    private readonly string[] _names;
    private readonly long[] _offsets;
    private readonly Tensor _flat;              // (Σ numel,) in the parameters' dtype, on their device
    private readonly bool[] _hadNoGradient;
    private Tensor? _fingerprint;               // (parameters,) float64 sums, when started during backward
    private IPendingReduction? _pending;

    public GradientBucket(IReadOnlyList<int> indices, IReadOnlyList<Parameter> parameters, IReadOnlyList<string> names)
    {
        Indices = indices.ToArray();
        _parameters = Indices.Select(i => parameters[i]).ToArray();
        _names = Indices.Select(i => names[i]).ToArray();
        _offsets = new long[_parameters.Length];
        long total = 0;
        for (var i = 0; i < _parameters.Length; i++)
        {
            _offsets[i] = total;
            total += _parameters[i].numel();
        }

        _hadNoGradient = new bool[_parameters.Length];
        var first = _parameters[0];
        _flat = torch.zeros(total, first.dtype, first.device).DetachFromDisposeScope();
    }

    /// <summary>Indices into the averager's parameter list (reverse registration order).</summary>
    public int[] Indices { get; }

    /// <summary>Parameters of this bucket whose gradients are not known to be complete yet (this step).</summary>
    public int Remaining { get; set; }

    public bool Started => _pending is not null;

    /// <summary>
    /// Copies the current gradients into the flat buffer and starts summing it over the group. A parameter without a
    /// gradient contributes zeros and keeps no gradient. With <paramref name="fingerprint"/> it also records a sum per
    /// gradient, so <see cref="Verify"/> can prove none changed after the copy (a bucket started during backward).
    /// </summary>
    public void Start(ICollectives group, bool fingerprint)
    {
        if (Started) throw new InvalidOperationException("A gradient bucket was started twice in one step.");
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (var i = 0; i < _parameters.Length; i++)
        {
            var slot = _flat.narrow(0, _offsets[i], _parameters[i].numel()).view(_parameters[i].shape);
            var gradient = _parameters[i].grad;
            _hadNoGradient[i] = gradient is null;
            if (gradient is null) slot.zero_();
            else slot.copy_(gradient);
        }

        if (fingerprint) _fingerprint = Fingerprint(out _).DetachFromDisposeScope();
        _pending = group.StartAllReduceSum(_flat);
    }

    /// <summary>Lets MPI progress; true once this bucket's sum has arrived.</summary>
    public bool Test() => _pending?.Test() ?? false;

    /// <summary>
    /// For a bucket started during backward: the names of parameters whose gradient changed after it was copied
    /// (empty when none did), i.e. whose gradient was not complete when the marker said it was.
    /// </summary>
    public IReadOnlyList<string> Verify()
    {
        if (_fingerprint is null) return Array.Empty<string>();
        using var scope = torch.NewDisposeScope();
        var now = Fingerprint(out var nullNow);
        var changed = new List<string>();
        for (var i = 0; i < _parameters.Length; i++)
        {
            if (nullNow[i] != _hadNoGradient[i]) changed.Add(_names[i]);
        }

        // Bitwise-equal sums of the same tensor by the same kernel mean unchanged; NaN equals NaN here.
        var same = now.eq(_fingerprint).logical_or(now.isnan().logical_and(_fingerprint.isnan()));
        if (!same.all().item<bool>())
        {
            var flags = same.data<bool>().ToArray();
            for (var i = 0; i < flags.Length; i++)
            {
                if (!flags[i] && !changed.Contains(_names[i])) changed.Add(_names[i]);
            }
        }

        return changed;
    }

    /// <summary>Waits for the sum, divides by <paramref name="worldSize"/> and writes the mean into every gradient.</summary>
    public void Finish(int worldSize)
    {
        var pending = _pending ?? throw new InvalidOperationException("Finishing a gradient bucket that was not started.");
        pending.Wait();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _flat.div_(Scalars.Of((long)worldSize));
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            if (gradient is null) continue;   // unused in this pass (on every rank, as the group required)
            gradient.copy_(_flat.narrow(0, _offsets[i], _parameters[i].numel()).view(_parameters[i].shape));
        }

        Reset();
    }

    /// <summary>Forgets this step (after an error, the pending reduction is abandoned with the job).</summary>
    public void Reset()
    {
        _pending = null;
        _fingerprint?.Dispose();
        _fingerprint = null;
    }

    public void Dispose()
    {
        Reset();
        _flat.Dispose();
    }

    // (parameters,) float64: each gradient's sum, 0 for a missing gradient (reported through isNull).
    private Tensor Fingerprint(out bool[] isNull)
    {
        isNull = new bool[_parameters.Length];
        var sums = new Tensor[_parameters.Length];
        for (var i = 0; i < _parameters.Length; i++)
        {
            var gradient = _parameters[i].grad;
            isNull[i] = gradient is null;
            sums[i] = gradient is null ? torch.zeros(1, ScalarType.Float64, _flat.device) : gradient.sum(ScalarType.Float64).reshape(1);
        }

        return torch.cat(sums, 0);
    }
}
