using AttributeGan.Evaluation.Features;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Classifier;

/// <summary>
/// The paper's classifier backbone: the ImageNet ResNet-18 behind its own input pipeline, RGB (B, 3, H, W) in [0, 1] →
/// resized to 224×224 and normalised (<see cref="ResNetPreprocessing"/>, differentiable) → pooled features (B, 512).
/// Only the ResNet's weights are parameters and buffers; the preprocessing's mean image is a constant of its ONNX
/// file, so classifier files hold exactly the fine-tuned network.
/// </summary>
internal sealed class ResNet18Network : nn.Module<Tensor, Tensor>
{
    private readonly ResNetPreprocessing preprocessing;
    private readonly ResNet18Backbone backbone;

    private ResNet18Network(ResNetPreprocessing preprocessing, ResNet18Backbone backbone) : base(nameof(ResNet18Network))
    {
        this.preprocessing = preprocessing;
        this.backbone = backbone;
        RegisterComponents();
    }

    /// <summary>With <paramref name="imageNet"/> the ImageNet weights of ResNet18.onnx, otherwise random ones (about to be loaded from a file).</summary>
    public static ResNet18Network Create(bool imageNet)
    {
        var preprocessing = ResNetPreprocessing.Load();
        try
        {
            return new ResNet18Network(preprocessing, imageNet ? ResNet18Backbone.LoadImageNet() : new ResNet18Backbone());
        }
        catch
        {
            preprocessing.Dispose();
            throw;
        }
    }

    public override Tensor forward(Tensor images)
    {
        using var scope = NewDisposeScope();
        var input = preprocessing.call(images);                  // (B, 3, 224, 224)
        return backbone.call(input).MoveToOuterDisposeScope();   // (B, 512)
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            preprocessing.Dispose();
            backbone.Dispose();
        }
        base.Dispose(disposing);
    }
}
