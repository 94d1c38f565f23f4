using System;
using System.IO;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// Where the two ONNX files of the NuGet package Microsoft.ML.DnnImageFeaturizer.ResNet18 are at run time: the
/// Evaluation project copies them next to its assembly, and MSBuild copies them on into every project that
/// references it (the command line, the tests).
/// </summary>
public static class DnnImageModelFiles
{
    /// <summary>The ImageNet ResNet-18 without its classifier (a CNTK 2.6 export): weights and graph.</summary>
    public const string ResNet18FileName = "ResNet18.onnx";

    /// <summary>The preprocessing graph: RGB → BGR and subtraction of a per-pixel ImageNet mean image (0–255 scale).</summary>
    public const string PreprocessFileName = "ResNetPreprocess.onnx";

    public static string DefaultResNet18Path => Path.Combine(AppContext.BaseDirectory, ResNet18FileName);

    public static string DefaultPreprocessPath => Path.Combine(AppContext.BaseDirectory, PreprocessFileName);
}
