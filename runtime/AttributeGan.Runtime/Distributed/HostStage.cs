using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Distributed;

/// <summary>
/// The contiguous CPU memory MPI reads and writes in place of a user's tensor. When the tensor already is a contiguous
/// CPU tensor of a type MPI can handle, the stage is that memory itself; otherwise (another device, strided, or a type
/// sent widened, e.g. bfloat16 as float32) it is a copy, and <see cref="WriteBack"/> copies the result back. The stage
/// holds its own references to both tensors, so a caller's dispose scope ending cannot free memory MPI still writes.
/// </summary>
internal sealed class HostStage : IDisposable
{
    private HostStage(Tensor target, Tensor host, bool isCopy, int datatype, int elementBytes)
    {
        Target = target;
        Host = host;
        IsCopy = isCopy;
        Datatype = datatype;
        ElementBytes = elementBytes;
        Count = host.numel();
        Address = Count == 0 ? IntPtr.Zero : DataAddress(host);
    }

    /// <summary>The user's tensor (an alias handle: same memory).</summary>
    public Tensor Target { get; }

    /// <summary>Contiguous, on the CPU, of the communicated type.</summary>
    public Tensor Host { get; }

    public bool IsCopy { get; }

    /// <summary>The MPI datatype handle of <see cref="Host"/>'s elements.</summary>
    public int Datatype { get; }

    public int ElementBytes { get; }

    public long Count { get; }

    /// <summary>Address of <see cref="Host"/>'s first element.</summary>
    public IntPtr Address { get; }

    /// <summary>For sums: float32, float64, int64 and int32 natively; float16 and bfloat16 summed in float32.</summary>
    public static HostStage ForReduction(Tensor tensor, bool copyIn = true)
    {
        var sent = tensor.dtype switch
        {
            ScalarType.Float32 or ScalarType.Float64 or ScalarType.Int64 or ScalarType.Int32 => tensor.dtype,
            ScalarType.Float16 or ScalarType.BFloat16 => ScalarType.Float32,
            _ => throw new NotSupportedException($"Summing {tensor.dtype} tensors over ranks is not supported; use float32, float64 or int64."),
        };
        return Create(tensor, sent, copyIn);
    }

    /// <summary>For broadcast and gather: every type, moved exactly (narrow types widened losslessly).</summary>
    public static HostStage ForTransfer(Tensor tensor, bool copyIn = true)
    {
        var sent = tensor.dtype switch
        {
            ScalarType.Float32 or ScalarType.Float64 or ScalarType.Int64 or ScalarType.Int32 or ScalarType.Byte => tensor.dtype,
            ScalarType.Float16 or ScalarType.BFloat16 => ScalarType.Float32,
            ScalarType.Int8 or ScalarType.Int16 => ScalarType.Int32,
            ScalarType.Bool => ScalarType.Byte,
            _ => throw new NotSupportedException($"Communicating {tensor.dtype} tensors is not supported."),
        };
        return Create(tensor, sent, copyIn);
    }

    /// <summary>Copies the communicated values into the user's tensor when the stage is a copy.</summary>
    public void WriteBack()
    {
        if (!IsCopy) return;
        using var noGrad = torch.no_grad();
        Target.copy_(Host);
    }

    public void Dispose()
    {
        Host.Dispose();
        Target.Dispose();
    }

    private static HostStage Create(Tensor tensor, ScalarType sent, bool copyIn)
    {
        using var noGrad = torch.no_grad();
        var target = tensor.alias().DetachFromDisposeScope();
        var direct = tensor.device_type == DeviceType.CPU && tensor.dtype == sent && tensor.is_contiguous();
        Tensor host;
        if (direct)
        {
            host = tensor.detach().DetachFromDisposeScope();
        }
        else
        {
            host = torch.empty(tensor.shape, sent, torch.CPU).DetachFromDisposeScope();
            if (copyIn) host.copy_(tensor);
        }

        var (datatype, bytes) = sent switch
        {
            ScalarType.Float32 => (MpiNative.Float, 4),
            ScalarType.Float64 => (MpiNative.Double, 8),
            ScalarType.Int64 => (MpiNative.Int64, 8),
            ScalarType.Int32 => (MpiNative.Int, 4),
            _ => (MpiNative.Byte, 1),
        };
        return new HostStage(target, host, !direct, datatype, bytes);
    }

    // TorchSharp 0.107 has no Tensor.data_ptr(): the storage's base address plus the tensor's offset into it. The storage
    // must be read with the tensor's own element type (storage<float>() of a double tensor silently converts a copy).
    private static IntPtr DataAddress(Tensor host)
    {
        using var scope = torch.NewDisposeScope();
        var storageBase = host.dtype switch
        {
            ScalarType.Float32 => host.storage<float>().data_ptr(),
            ScalarType.Float64 => host.storage<double>().data_ptr(),
            ScalarType.Int64 => host.storage<long>().data_ptr(),
            ScalarType.Int32 => host.storage<int>().data_ptr(),
            ScalarType.Byte => host.storage<byte>().data_ptr(),
            _ => throw new NotSupportedException($"No raw address for {host.dtype} tensors."),
        };
        return storageBase + checked((nint)(host.storage_offset() * host.element_size()));
    }
}
