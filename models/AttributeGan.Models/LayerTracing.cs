using System;

namespace AttributeGan.Models;

internal static class LayerTracing
{
    public static IDisposable Attach(ref Action<string, TorchSharp.torch.Tensor>? slot, Action<string, TorchSharp.torch.Tensor> observer, Action detach)
    {
        if (slot is not null) throw new InvalidOperationException("A layer tracer is already attached to this network; dispose it first.");
        slot = observer ?? throw new ArgumentNullException(nameof(observer));
        return new Detacher(detach);
    }

    private sealed class Detacher(Action detach) : IDisposable
    {
        private Action? pending = detach;

        public void Dispose()
        {
            pending?.Invoke();
            pending = null;
        }
    }
}
