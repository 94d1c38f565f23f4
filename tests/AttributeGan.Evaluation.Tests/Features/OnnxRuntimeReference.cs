using System;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using TorchSharp;
using static TorchSharp.torch;
using Tensor = TorchSharp.torch.Tensor;

namespace AttributeGan.Evaluation.Tests.Features;

/// <summary>Runs an ONNX file of the package through ONNX Runtime one image at a time (both graphs take batch 1).</summary>
internal sealed class OnnxRuntimeReference : IDisposable
{
    private readonly InferenceSession session;
    private readonly string inputName;

    public OnnxRuntimeReference(string path)
    {
        session = new InferenceSession(path);
        inputName = session.InputMetadata.Keys.Single();
    }

    /// <summary>(B, 3, 224, 224) → the graph's output for each image, stacked (B, ...).</summary>
    public Tensor Run(Tensor batch)
    {
        var outputs = new Tensor[batch.shape[0]];
        for (var i = 0; i < outputs.Length; i++)
        {
            using var image = batch[i].unsqueeze(0).contiguous();
            var values = image.data<float>().ToArray();
            var input = new DenseTensor<float>(values, image.shape.Select(d => (int)d).ToArray());
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(inputName, input) });
            var output = results.Single().AsTensor<float>();
            outputs[i] = torch.tensor(output.ToArray(), output.Dimensions.ToArray().Select(d => (long)d).ToArray());
        }
        try
        {
            return torch.cat(outputs, 0);
        }
        finally
        {
            foreach (var output in outputs)
            {
                output.Dispose();
            }
        }
    }

    public void Dispose() => session.Dispose();
}
