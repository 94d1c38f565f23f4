using System;
using TorchSharp;

namespace AttributeGan.Runtime;

/// <summary>Turns a <c>--device</c> value into a TorchSharp device, with errors that say how to get CUDA.</summary>
public static class Devices
{
    public static torch.Device Resolve(string name)
    {
        var text = name.Trim().ToLowerInvariant();
        if (text == "cpu") return torch.CPU;
        if (text == "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException(
                    "--device cuda was requested, but CUDA is not available: this build uses the CPU libtorch or no NVIDIA GPU is visible. " +
                    "On a machine with an NVIDIA GPU, build with 'dotnet build -p:TorchBackend=cuda' (it references libtorch-cuda-12.8-linux-x64).");
            return torch.device(text);
        }

        throw new ArgumentException($"--device must be 'cpu', 'cuda' or 'cuda:N', got '{name}'.");
    }
}
