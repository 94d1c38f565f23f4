using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AttributeGan.Evaluation.Features;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Tests.Features;

/// <summary>
/// The FID Inception-V3's layout and weight loading. The real weights (pt_inception-2015-12-05-6726825d.pth) cannot
/// be downloaded here, so the tests write weight files from randomly initialised networks with TorchSharp.PyBridge and
/// check the layout against what the standard file is known to hold.
/// </summary>
public class FidInceptionV3Tests
{
    // The standard file's state dict: pytorch-fid builds torchvision's inception_v3(num_classes=1008,
    // aux_logits=False) with its FID blocks and loads the file strictly. torchvision's Inception-V3 has 94 BasicConv2d
    // units (5 stem + 3×7 in Mixed_5b–5d + 4 in Mixed_6a + 4×10 in Mixed_6b–6e + 6 in Mixed_7a + 2×9 in Mixed_7b–7c),
    // each with conv.weight and bn.{weight, bias, running_mean, running_var, num_batches_tracked}: the file has the
    // num_batches_tracked keys (PyTorch 0.4.0 users got "Unexpected key(s) in state_dict:
    // Conv2d_1a_3x3.bn.num_batches_tracked, …", pytorch-fid issue #34). With fc.weight and fc.bias: 94 × 6 + 2 = 566.
    private const int StandardKeyCount = 566;

    // torchvision documents 27,161,264 parameters for inception_v3 with the auxiliary classifier and 1000 classes.
    // Without AuxLogits (conv0 768·128 + bn 2·128, conv1 128·768·25 + bn 2·768, fc 768·1000 + 1000 = 3,326,696) and
    // with 1008 classes (+ 8·2048 + 8 = 16,392): 23,850,960.
    private const long StandardParameterCount = 23_850_960;

    // Shapes from torchvision's block definitions with pytorch-fid's channel arguments.
    private static readonly (string Key, long[] Shape)[] KnownShapes =
    {
        ("Conv2d_1a_3x3.conv.weight", new long[] { 32, 3, 3, 3 }),
        ("Conv2d_4a_3x3.bn.running_var", new long[] { 192 }),
        ("Mixed_5b.branch_pool.conv.weight", new long[] { 32, 192, 1, 1 }),
        ("Mixed_5d.branch5x5_2.conv.weight", new long[] { 64, 48, 5, 5 }),
        ("Mixed_6a.branch3x3.conv.weight", new long[] { 384, 288, 3, 3 }),
        ("Mixed_6b.branch7x7_2.conv.weight", new long[] { 128, 128, 1, 7 }),
        ("Mixed_6e.branch7x7dbl_5.conv.weight", new long[] { 192, 192, 1, 7 }),
        ("Mixed_7a.branch7x7x3_4.conv.weight", new long[] { 192, 192, 3, 3 }),
        ("Mixed_7b.branch3x3_2b.conv.weight", new long[] { 384, 384, 3, 1 }),
        ("Mixed_7c.branch3x3dbl_1.conv.weight", new long[] { 448, 2048, 1, 1 }),
        ("Mixed_7c.branch_pool.bn.num_batches_tracked", Array.Empty<long>()),
        ("fc.weight", new long[] { 1008, 2048 }),
        ("fc.bias", new long[] { 1008 }),
    };

    [Fact]
    public void The_state_dict_has_the_keys_and_shapes_of_the_standard_file()
    {
        using var network = new FidInceptionV3();
        var state = network.state_dict();

        Assert.Equal(StandardKeyCount, state.Count);
        Assert.Equal(94, state.Keys.Count(k => k.EndsWith(".bn.num_batches_tracked", StringComparison.Ordinal)));
        Assert.Equal(StandardParameterCount, network.parameters().Sum(p => p.numel()));
        Assert.DoesNotContain(state.Keys, k => k.StartsWith("AuxLogits", StringComparison.Ordinal));
        foreach (var (key, shape) in KnownShapes)
        {
            Assert.True(state.ContainsKey(key), key);
            Assert.True(shape.SequenceEqual(state[key].shape), $"{key}: [{string.Join(", ", state[key].shape)}]");
        }
    }

    [Fact]
    public void A_saved_state_dict_loads_into_a_fresh_network_with_equal_features()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("fid-inception.pth");
        // The network is fully convolutional up to its global pool: a smaller input checks the loaded weights as well
        // and runs five times faster than 299×299.
        using var input = Input(seed: 21);                                                 // (2, 3, 139, 139) in [−1, 1]
        using var noGrad = no_grad();

        torch.manual_seed(22);
        using var original = new FidInceptionV3();
        RandomiseBatchNorm(original, seed: 23);
        original.eval();
        original.save_py(path);
        using var expected = original.call(input);                                         // (2, 2048)

        torch.manual_seed(24);
        using var loaded = FidInceptionV3.Load(path);
        using var actual = loaded.call(input);

        torch.manual_seed(24);
        using var unloaded = new FidInceptionV3();                                         // the same start, without the file
        unloaded.eval();
        using var before = unloaded.call(input);

        Assert.Equal(new long[] { 2, FidInceptionV3.FeatureWidth }, actual.shape);
        var scale = expected.abs().max().item<float>();
        Assert.True(scale > 0, "features are all zero");
        Assert.Equal(0.0, TestImages.MaxAbsDifference(expected, actual));
        Assert.True(TestImages.MaxAbsDifference(expected, before) > 0.01 * scale, "loading changed nothing");
        // The buffers came from the file too, not only the parameters.
        Assert.True(loaded.state_dict()["Mixed_6c.branch7x7dbl_3.bn.running_var"].allclose(original.state_dict()["Mixed_6c.branch7x7dbl_3.bn.running_var"], 0, 0));
    }

    [Fact]
    public void A_file_with_a_missing_a_misshapen_and_an_extra_key_is_refused_naming_each()
    {
        // One file with all three faults (saving 90 MB takes seconds): the message lists every problem.
        using var directory = new TemporaryDirectory();
        var path = directory.File("faulty.pth");
        using (var network = new FidInceptionV3())
        using (var wrong = torch.zeros(320, 192, 3, 1))
        using (var extra = torch.zeros(10))
        {
            var state = new Dictionary<string, Tensor>(network.state_dict())
            {
                ["Mixed_7a.branch3x3_2.conv.weight"] = wrong,
                ["AuxLogits.fc.bias"] = extra,
            };
            state.Remove("Mixed_6c.branch7x7dbl_3.bn.running_mean");
            PyTorchPickler.PickleStateDict(path, state);
        }

        var error = Assert.Throws<InvalidDataException>(() => FidInceptionV3.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("missing key 'Mixed_6c.branch7x7dbl_3.bn.running_mean'", error.Message);
        Assert.Contains("key 'Mixed_7a.branch3x3_2.conv.weight' has shape [320, 192, 3, 1], the network's is [320, 192, 3, 3]", error.Message);
        Assert.Contains("unexpected key 'AuxLogits.fc.bias'", error.Message);
    }

    [Fact]
    public void Missing_legacy_and_foreign_files_are_refused_with_what_to_do()
    {
        using var directory = new TemporaryDirectory();
        var missing = directory.File("pt_inception-2015-12-05-6726825d.pth");
        var notFound = Assert.Throws<FileNotFoundException>(() => FidInceptionV3.Load(missing));
        Assert.Contains(missing, notFound.Message);
        Assert.Contains("pytorch-fid", notFound.Message);

        // torch.save before PyTorch 1.6 starts with the pickled magic number 0x1950a86a20f9469cfc6c.
        var legacy = directory.File("legacy.pth");
        File.WriteAllBytes(legacy, new byte[] { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e, 0x80, 0x02 });
        var legacyError = Assert.Throws<InvalidDataException>(() => FidInceptionV3.Load(legacy));
        Assert.Contains("legacy format", legacyError.Message);
        Assert.Contains("torch.save(torch.load('legacy.pth')", legacyError.Message);

        var foreign = directory.File("foreign.pth");
        File.WriteAllText(foreign, "not a weight file");
        var foreignError = Assert.Throws<InvalidDataException>(() => FidInceptionV3.Load(foreign));
        Assert.Contains(foreign, foreignError.Message);

        var damaged = directory.File("damaged.pth");
        File.WriteAllBytes(damaged, new byte[] { 0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8 });
        var damagedError = Assert.Throws<InvalidDataException>(() => FidInceptionV3.Load(damaged));
        Assert.Contains(damaged, damagedError.Message);
    }

    [Fact]
    public void The_input_is_resized_like_pytorch_fid_without_antialiasing_and_scaled_to_minus_one_one()
    {
        // A one-pixel checkerboard at 3 × 299: bilinear sampling with align_corners = false hits pixel centres exactly
        // (source x = 3i + 1), so without antialiasing the output is still a checkerboard of −1 and 1. Antialiasing
        // would average it to about 0.
        const int size = 3 * FidInceptionV3.InputSize;
        using var rows = torch.arange(size).unsqueeze(1);
        using var columns = torch.arange(size).unsqueeze(0);
        using var checker = ((rows + columns) % 2).to(ScalarType.Float32).expand(1, 3, size, size).contiguous();

        using var prepared = FidInceptionV3.PrepareInput(checker);

        Assert.Equal(new long[] { 1, 3, 299, 299 }, prepared.shape);
        using var magnitude = prepared.abs();
        Assert.Equal(1.0, magnitude.min().item<float>(), 5);
        Assert.Equal(-1.0, prepared.min().item<float>(), 5);

        using var already = torch.rand(1, 3, 299, 299);
        using var scaled = FidInceptionV3.PrepareInput(already);
        using var expected = already * 2 - 1;
        Assert.Equal(0.0, TestImages.MaxAbsDifference(expected, scaled));
    }

    /// <summary>(2, 3, 139, 139) uniform in [−1, 1].</summary>
    private static Tensor Input(int seed)
    {
        using var noise = TestImages.Noise(2, 139, seed);
        return noise * 2 - 1;
    }

    /// <summary>
    /// Batch-norm statistics and affine weights away from their defaults, so that the test sees buffers load; the
    /// variances stay small enough that the random network's activations keep a usable scale.
    /// </summary>
    internal static void RandomiseBatchNorm(FidInceptionV3 network, int seed)
    {
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var (name, tensor) in network.state_dict())
        {
            if (name.EndsWith(".bn.running_mean", StringComparison.Ordinal) || name.EndsWith(".bn.bias", StringComparison.Ordinal))
            {
                using var values = torch.randn(tensor.shape, generator: generator) * 0.1;
                tensor.copy_(values);
            }
            else if (name.EndsWith(".bn.running_var", StringComparison.Ordinal))
            {
                using var values = torch.rand(tensor.shape, generator: generator) * 0.1 + 0.05;
                tensor.copy_(values);
            }
            else if (name.EndsWith(".bn.num_batches_tracked", StringComparison.Ordinal))
            {
                tensor.fill_(7);
            }
        }
    }
}
