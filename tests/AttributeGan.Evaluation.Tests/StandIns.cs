using System;
using System.IO;
using AttributeGan.Evaluation.Classifier;
using AttributeGan.Models.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests;

/// <summary>
/// Small stand-ins for the ImageNet networks, so classifier and evaluation logic can be tested in seconds at 16×16:
/// a two-layer CNN backbone trained from scratch, and a fixed feature extractor (average-pooled colours and their
/// squares) that needs no weights.
/// </summary>
internal static class StandIns
{
    public const string BackboneName = "test-cnn";

    public static ClassifierBackbone Backbone { get; } = new(
        BackboneName, 32, _ => new SmallCnn(), learningRate: 3e-3, "two-layer CNN from scratch (tests only)");

    public static ClassifierBackbone? Find(string name) => name == BackboneName ? Backbone : null;

    /// <summary>(B, 3, H, W) in [0, 1] → (B, 32): centre, conv–BN–ReLU–pool, conv–ReLU, then the global mean (cell density shows in it).</summary>
    private sealed class SmallCnn : nn.Module<Tensor, Tensor>
    {
        private readonly nn.Module<Tensor, Tensor> conv1 = nn.Conv2d(3, 16, 3, padding: 1);
        private readonly nn.Module<Tensor, Tensor> bn1 = nn.BatchNorm2d(16);
        private readonly nn.Module<Tensor, Tensor> conv2 = nn.Conv2d(16, 32, 3, padding: 1);

        public SmallCnn() : base("SmallCnn") => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            using var scope = NewDisposeScope();
            // Convolutions read channels-last, as the product's networks do (MemoryLayout).
            var x = nn.functional.max_pool2d(nn.functional.relu(bn1.call(conv1.call(MemoryLayout.ForConvolution(input.sub(0.5).mul(4.0))))), 2); // (B, 16, H/2, W/2)
            x = nn.functional.relu(conv2.call(MemoryLayout.ForConvolution(x)));                       // (B, 32, H/2, W/2)
            return x.mean(new long[] { 2, 3 }).MoveToOuterDisposeScope();                             // (B, 32)
        }
    }
}

/// <summary>
/// A fixed feature map for Fréchet distances in tests: per channel the mean of x and of x² over 2×2 quadrants
/// (24 features), deterministic and cheap.
/// </summary>
internal sealed class QuadrantFeatures : IFeatureExtractor
{
    public string MetricName => "FD-Test";

    public int Dimensions => 24;

    public Tensor Features(Tensor images)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var pooled = nn.functional.adaptive_avg_pool2d(images, new long[] { 2, 2 }).flatten(1);                // (B, 12)
        var squares = nn.functional.adaptive_avg_pool2d(images.square(), new long[] { 2, 2 }).flatten(1);     // (B, 12)
        return cat(new[] { pooled, squares }, 1).MoveToOuterDisposeScope();                                    // (B, 24)
    }

    public void Dispose()
    {
    }
}

/// <summary>A folder under the temp directory, deleted with everything in it.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "attributegan-eval-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
