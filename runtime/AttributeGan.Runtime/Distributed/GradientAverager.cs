using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.ExceptionServices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// Averages one network's gradients over the ranks of a group, in buckets of about <c>bucketBytes</c>, overlapping
/// the reductions with backward where it can. Usage per step: <see cref="Arm"/>, the forward passes, one
/// <c>backward()</c>, <see cref="Average"/>, the optimiser step. Without <see cref="Arm"/> everything is reduced in
/// <see cref="Average"/> (correct, just not overlapped): do that when one step calls backward() several times or
/// uses autograd.grad (e.g. a gradient penalty), which the overlap bookkeeping assumes does not happen.
/// <para>
/// Overlap: TorchSharp 0.107 has no gradient hooks, so a forward pre-hook on every module that owns parameters and
/// takes one tensor wraps that module's input in a <see cref="BackwardMarker"/>. When a module has seen as many marker
/// backwards as (marked) forward calls, its parameters' gradients are complete; when every parameter of the next bucket
/// is complete, that bucket starts. Buckets start strictly in order, so every rank issues the same reductions in the
/// same sequence whatever the timing. Parameters the markers cannot vouch for (owned by modules of other signatures,
/// shared between modules, or of a module that also ran on an input without gradient, such as the first layer on
/// data) are simply reduced in <see cref="Average"/>. After the first armed step the buckets are rebuilt once in the
/// order gradients actually became ready (rank 0's order, broadcast), as PyTorch DDP does, so such parameters do not
/// hold back the others. Every bucket started during backward is checked in <see cref="Average"/>: if any of its
/// gradients changed after it was sent, Average throws instead of returning a wrong mean.
/// </para>
/// <para>
/// Cost of arming: TorchSharp's custom-function node keeps an uninitialised tensor shaped like each marked input until
/// the graph is freed (for materialising missing gradients), so an armed step holds up to one extra activation-sized
/// allocation per marked module call. Unarmed steps create no markers.
/// </para>
/// </summary>
public sealed class GradientAverager : IDisposable
{
    private readonly ICollectives? _group;     // a duplicate of the caller's group; null on a single process
    private readonly bool _ownsGroup;
    private readonly int _worldSize;
    private readonly long _bucketBytes;
    private readonly Parameter[] _parameters;  // reverse registration order: roughly the order gradients are ready
    private readonly string[] _names;
    private readonly ModuleProgress[] _modules;
    private readonly List<Action> _removeHooks = new();
    private readonly List<int> _readyOrder = new();
    private GradientBucket[] _buckets;
    private int[] _bucketOf;
    private int _nextBucket;
    private int _startedDuringBackward;
    private int _generation;
    private bool _armed;
    private bool _layoutSettled;
    private Exception? _failure;

    public GradientAverager(ICollectives collectives, nn.Module network, long bucketBytes = 4 << 20)
    {
        ArgumentNullException.ThrowIfNull(collectives);
        ArgumentNullException.ThrowIfNull(network);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketBytes);
        _worldSize = collectives.WorldSize;
        _bucketBytes = bucketBytes;
        var trained = network.named_parameters().Where(p => p.parameter.requires_grad).Reverse().ToArray();
        _parameters = trained.Select(p => p.parameter).ToArray();
        _names = trained.Select(p => p.name).ToArray();
        var plan = Plan(Enumerable.Range(0, _parameters.Length).ToArray());
        BucketCount = plan.Count;
        _buckets = Array.Empty<GradientBucket>();
        _bucketOf = new int[_parameters.Length];
        _modules = Array.Empty<ModuleProgress>();
        if (_worldSize == 1) return;   // nothing to average: no buffers, no hooks, no copies

        _group = collectives.Duplicate();
        _ownsGroup = !ReferenceEquals(_group, collectives);   // an engine may hand out itself; never dispose the caller's
        (_buckets, _bucketOf) = Allocate(plan);
        _modules = ModuleProgress.Track(network, _parameters);
        foreach (var progress in _modules)
        {
            var hook = progress.Module.register_forward_pre_hook((_, input) => OnForward(progress, input));
            _removeHooks.Add(hook.remove);
        }
    }

    /// <summary>Number of buckets (may change once, after the first armed <see cref="Average"/>).</summary>
    public int BucketCount { get; private set; }

    /// <summary>Of the last <see cref="Average"/>: how many buckets had started during backward.</summary>
    public int BucketsStartedDuringBackward { get; private set; }

    /// <summary>Call before the forward passes whose single backward() the next <see cref="Average"/> follows.</summary>
    public void Arm()
    {
        if (_group is null) return;
        ResetStep();
        _generation++;
        _armed = true;
    }

    /// <summary>
    /// Call after backward(): every gradient becomes its mean over the ranks (parameters without a gradient keep none).
    /// Rethrows an error raised inside backward by the overlap bookkeeping.
    /// </summary>
    public void Average()
    {
        if (_group is null) return;
        var wasArmed = _armed;
        _armed = false;
        try
        {
            if (_failure is not null) ExceptionDispatchInfo.Capture(_failure).Throw();
            while (_nextBucket < _buckets.Length) _buckets[_nextBucket++].Start(_group, fingerprint: false);
            foreach (var bucket in _buckets)
            {
                var changed = bucket.Verify();
                if (changed.Count > 0)
                    throw new InvalidOperationException($"Gradients of {string.Join(", ", changed)} changed after their bucket was sent during backward: a parameter is used outside its module's forward, a module ran without .call(), or the step ran backward() more than once after Arm(). Call Average() without Arm() for such steps.");
            }

            foreach (var bucket in _buckets) bucket.Finish(_worldSize);
            BucketsStartedDuringBackward = _startedDuringBackward;
            if (wasArmed && !_layoutSettled) SettleLayout();
        }
        finally
        {
            ResetStep();
        }
    }

    public void Dispose()
    {
        foreach (var remove in _removeHooks) remove();
        _removeHooks.Clear();
        foreach (var bucket in _buckets) bucket.Dispose();
        _buckets = Array.Empty<GradientBucket>();
        if (_ownsGroup) _group?.Dispose();
    }

    private Tensor OnForward(ModuleProgress progress, Tensor input)
    {
        // Calls without autograd contribute no gradient and need no marker.
        if (!_armed || !torch.is_grad_enabled() || _failure is not null) return input;
        if (progress.Ready)
        {
            _failure = new InvalidOperationException($"Module '{progress.Name}' ran forward after its gradients were complete: Arm() covers exactly one backward(); for several per step, call Average() without Arm().");
            return input;
        }

        if (!input.requires_grad)
        {
            // The parameters get gradient from this call without any marker to tell when: leave them to Average().
            progress.Unmarked = true;
            return input;
        }

        var generation = _generation;
        progress.Forwards++;
        return BackwardMarker.Mark(input, () => OnBackward(progress, generation));
    }

    // Runs inside libtorch's backward: must not throw (see BackwardMarker).
    private void OnBackward(ModuleProgress progress, int generation)
    {
        if (!_armed || generation != _generation || _failure is not null) return;
        try
        {
            progress.Backwards++;
            if (progress.Backwards > progress.Forwards)
                throw new InvalidOperationException($"Module '{progress.Name}' saw more backward passes than forward passes since Arm(): Arm() covers exactly one backward().");
            if (progress.Backwards == progress.Forwards && !progress.Unmarked)
            {
                progress.Ready = true;
                foreach (var index in progress.ParameterIndices)
                {
                    _readyOrder.Add(index);
                    _buckets[_bucketOf[index]].Remaining--;
                }
            }

            while (_nextBucket < _buckets.Length && _buckets[_nextBucket].Remaining == 0)
            {
                _buckets[_nextBucket++].Start(_group!, fingerprint: true);
                _startedDuringBackward++;
            }

            // MPICH advances non-blocking collectives only inside MPI calls: give the oldest unfinished one a turn.
            for (var b = 0; b < _nextBucket; b++)
            {
                if (!_buckets[b].Test()) break;
            }
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    private void ResetStep()
    {
        foreach (var bucket in _buckets)
        {
            bucket.Reset();
            bucket.Remaining = bucket.Indices.Length;
        }

        foreach (var progress in _modules) progress.Reset();
        _readyOrder.Clear();
        _nextBucket = 0;
        _startedDuringBackward = 0;
        _failure = null;
    }

    // Rebuilds the buckets in the order gradients became ready in the first armed step (then the never-ready
    // parameters). Rank 0's order is used everywhere: the layout must be identical on every rank.
    private void SettleLayout()
    {
        _layoutSettled = true;
        var order = _readyOrder.Concat(Enumerable.Range(0, _parameters.Length).Except(_readyOrder)).Select(i => (long)i).ToArray();
        using (var scope = torch.NewDisposeScope())
        {
            var shared = torch.tensor(order);
            _group!.Broadcast(shared, 0);
            order = shared.data<long>().ToArray();
        }

        foreach (var bucket in _buckets) bucket.Dispose();
        var plan = Plan(order.Select(i => (int)i).ToArray());
        (_buckets, _bucketOf) = Allocate(plan);
        BucketCount = plan.Count;
    }

    // Consecutive parameters (in the given order) of one dtype and device, up to bucketBytes per bucket (a larger
    // parameter gets a bucket of its own).
    private List<int[]> Plan(int[] order)
    {
        var plan = new List<int[]>();
        var current = new List<int>();
        long bytes = 0;
        foreach (var index in order)
        {
            var p = _parameters[index];
            var size = p.numel() * p.element_size();
            if (current.Count > 0)
            {
                var first = _parameters[current[0]];
                if (first.dtype != p.dtype || first.device_type != p.device_type || first.device_index != p.device_index || bytes + size > _bucketBytes)
                {
                    plan.Add(current.ToArray());
                    current.Clear();
                    bytes = 0;
                }
            }

            current.Add(index);
            bytes += size;
        }

        if (current.Count > 0) plan.Add(current.ToArray());
        return plan;
    }

    private (GradientBucket[] Buckets, int[] BucketOf) Allocate(List<int[]> plan)
    {
        var buckets = plan.Select(indices => new GradientBucket(indices, _parameters, _names)).ToArray();
        var bucketOf = new int[_parameters.Length];
        for (var b = 0; b < buckets.Length; b++)
        {
            foreach (var index in buckets[b].Indices) bucketOf[index] = b;
        }

        return (buckets, bucketOf);
    }
}
