using System;
using AttributeGan.Models.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Models.Blocks;

/// <summary>
/// Fixed 3×3 binomial blur ([1,2,1]⊗[1,2,1]/16), applied per channel after reflect padding by 1.
/// The kernel is a non-persistent buffer: it follows <c>.to(device)</c> but is not saved. No parameters.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's <c>named_buffers</c> skips a module's own non-persistent buffers, so its <c>.to()</c> would
/// leave the kernel behind and <c>Dispose</c> would not free it; <see cref="_toEpilog"/> and <see cref="Dispose"/>
/// handle the kernel explicitly.
/// </remarks>
public sealed class Blur : nn.Module<Tensor, Tensor>
{
    private const string KernelName = "kernel";

    private readonly long channels;

    public Blur(long channels) : base(nameof(Blur))
    {
        BlockArguments.Positive(channels, nameof(Blur));
        this.channels = channels;

        using (torch.NewDisposeScope())
        using (torch.no_grad())
        {
            var taps = torch.tensor(new float[] { 1f, 2f, 1f });                  // (3)
            var kernel = torch.outer(taps, taps).div_(Scalars.Of(16.0))                      // (3, 3)
                .reshape(1, 1, 3, 3).repeat(channels, 1, 1, 1).contiguous();      // (C, 1, 3, 3)
            // The module owns the kernel: it must outlive any dispose scope the module was built in.
            register_buffer(KernelName, kernel.DetachFromDisposeScope(), persistent: false);
        }

        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        // x: (B, C, H, W)
        if (x.dim() != 4 || x.shape[1] != channels)
        {
            throw new ArgumentException($"Blur expects (B, {channels}, H, W), got ({string.Join(", ", x.shape)}).", nameof(x));
        }

        using var scope = torch.NewDisposeScope();
        var kernel = get_buffer(KernelName)                                       // (C, 1, 3, 3)
            ?? throw new InvalidOperationException("Blur: the kernel buffer is missing.");
        if (kernel.dtype != x.dtype || kernel.device_type != x.device_type || kernel.device_index != x.device_index)
        {
            kernel = kernel.to(x.dtype, x.device);
        }

        var padded = nn.functional.pad(x, new long[] { 1, 1, 1, 1 }, PaddingModes.Reflect); // (B, C, H+2, W+2)
        var blurred = nn.functional.conv2d(MemoryLayout.ForConvolution(padded), kernel, groups: channels); // (B, C, H, W), NHWC strides
        return blurred.MoveToOuterDisposeScope();
    }

    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        base._toEpilog(dtype, device, non_blocking);

        var kernel = get_buffer(KernelName)
            ?? throw new InvalidOperationException("Blur: the kernel buffer is missing.");
        // ReplaceBuffer disposes the old tensor when it copies; re-register either way so the kernel stays non-persistent.
        var moved = ReplaceBuffer(dtype, device, kernel, out var copy) && copy is not null ? copy : kernel;
        ConditionallyRegisterBuffer(KernelName, moved, persistent: false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            get_buffer(KernelName)?.Dispose();
        }
        base.Dispose(disposing);
    }
}
