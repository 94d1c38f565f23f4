using System;
using TorchSharp;

namespace AttributeGan.Runtime;

/// <summary>Turns a <c>--device</c> value into a TorchSharp device, with errors that say how to get CUDA.</summary>
public static class Devices
{
    /// <param name="name">cpu, cuda or cuda:N.</param>
    /// <param name="rank">In a data-parallel run, this process's rank: plain "cuda" then means GPU rank mod the GPU count (one GPU per rank).</param>
    public static torch.Device Resolve(string name, int rank = 0)
    {
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu") return torch.CPU;
        if (text == "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException(
                    "--device cuda was requested, but CUDA is not available: this build uses the CPU libtorch or no NVIDIA GPU is visible. " +
                    "On a machine with an NVIDIA GPU, build with 'dotnet build -p:TorchBackend=cuda' (it references libtorch-cuda-12.8-linux-x64).");
            return text == "cuda" && rank > 0 ? torch.device(DeviceType.CUDA, rank % torch.cuda.device_count()) : torch.device(text);
        }

        throw new ArgumentException($"--device must be 'cpu', 'cuda' or 'cuda:N', got '{name}'.");
    }
}
