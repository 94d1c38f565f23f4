using System;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// The 2048-d pool features of the FID Inception-V3: images → bilinear resize to 299 → [−1, 1] → (B, 2048). Only with
/// the standard weights (pt_inception-2015-12-05) is the Fréchet distance of these features the FID that papers
/// report; the report calls it "FID".
/// </summary>
public sealed class FidInceptionFeatures : IFeatureExtractor
{
    private readonly FidInceptionV3 network;
    private readonly int batchSize;
    private Device device = CPU;

    /// <summary>Takes ownership of <paramref name="network"/>; images go through it <paramref name="batchSize"/> at a time.</summary>
    public FidInceptionFeatures(FidInceptionV3 network, int batchSize = 16)
    {
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        }
        this.network = network;
        this.batchSize = batchSize;
        network.eval();
    }

    public string MetricName => "FID";

    public int Dimensions => FidInceptionV3.FeatureWidth;

    /// <summary>The extractor with the weights in <paramref name="weightsPath"/> (see <see cref="FidInceptionV3.Load"/>).</summary>
    public static FidInceptionFeatures Load(string weightsPath, int batchSize = 16) => new(FidInceptionV3.Load(weightsPath), batchSize);

    public Tensor Features(Tensor images)
    {
        ImageBatch.CheckRgb01(images, nameof(FidInceptionFeatures));
        if (images.device.type != device.type || images.device.index != device.index)
        {
            network.to(images.device);
            device = images.device;
        }
        network.eval();
        using var noGrad = no_grad();
        return ImageBatch.InSlices(images, batchSize, slice =>
            network.call(FidInceptionV3.PrepareInput(slice.to(ScalarType.Float32))));   // (b, 3, H, W) → (b, 3, 299, 299) → (b, 2048)
    }

    public void Dispose() => network.Dispose();
}
