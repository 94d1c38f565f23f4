using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models;

/// <summary>
/// Base of every generated generator: (noise (B, latent), attributes (B, A)) → images (B, C, R, R) in [-1, 1]
/// (or unbounded when the spec's output activation is <c>none</c>).
/// </summary>
public abstract class GanGenerator : nn.Module<Tensor, Tensor, Tensor>
{
    private Action<string, Tensor>? tracer;

    protected GanGenerator(string name) : base(name)
    {
    }

    /// <summary>The compiled spec this network was generated from.</summary>
    public abstract IGanSpec Spec { get; }

    /// <summary>
    /// Calls <paramref name="observer"/> with each named layer's output during forward passes until the returned
    /// handle is disposed (used by <c>describe</c> and by tests that hold shapes against the compile-time table).
    /// </summary>
    public IDisposable TraceLayers(Action<string, Tensor> observer) => LayerTracing.Attach(ref tracer, observer, () => tracer = null);

    /// <summary>Reports a layer's output to the tracer, if any. Generated code calls this after every named layer.</summary>
    protected void Trace(string layer, Tensor output) => tracer?.Invoke(layer, output);
}
