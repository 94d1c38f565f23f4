using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AttributeGan.Evaluation.Features;

/// <summary>
/// Reads a PyTorch state-dict file with TorchSharp.PyBridge and copies it into <see cref="FidInceptionV3"/> after
/// checking it key for key: a missing key, an unexpected key or a shape that differs is refused with a message naming
/// it, so that a file for another network never loads half-way. Failures are <see cref="FileNotFoundException"/> and
/// <see cref="InvalidDataException"/>, each naming the file.
/// </summary>
internal static class FidInceptionWeights
{
    private const string StandardFileName = "pt_inception-2015-12-05-6726825d.pth";

    // torch.save before PyTorch 1.6 wrote pickles one after another, the first being this magic number:
    // protocol 2 (0x80 0x02), LONG1 of 10 bytes (0x8a 0x0a), 0x1950a86a20f9469cfc6c little-endian.
    private static readonly byte[] LegacyHeader = { 0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19 };

    private static readonly byte[] ZipHeader = { 0x50, 0x4b, 0x03, 0x04 };

    /// <summary>
    /// Reads the state dict in <paramref name="path"/>, then makes the network with <paramref name="create"/> and
    /// copies the file into it. The file is read first so that a missing or foreign file fails before the network is
    /// built.
    /// </summary>
    public static T Load<T>(string path, Func<T> create) where T : nn.Module
    {
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The FID Inception-V3 weights '{path}' do not exist. FID needs pytorch-fid's {StandardFileName} (release 'fid_weights' of github.com/mseitzer/pytorch-fid); give its path.", path);
        }
        Dictionary<string, Tensor> loaded;
        using (var stream = File.OpenRead(path))
        {
            CheckFormat(stream, path);
            loaded = Read(stream, path);
        }
        try
        {
            var network = create();
            try
            {
                var expected = network.state_dict();
                CheckKeys(expected, loaded, path);
                using var noGrad = no_grad();
                foreach (var (key, target) in expected)
                {
                    target.copy_(loaded[key]);
                }
                return network;
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        finally
        {
            foreach (var tensor in loaded.Values)
            {
                tensor.Dispose();
            }
        }
    }

    private static void CheckFormat(Stream stream, string path)
    {
        var head = new byte[LegacyHeader.Length];
        var read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        stream.Position = 0;
        if (read >= ZipHeader.Length && head.AsSpan(0, ZipHeader.Length).SequenceEqual(ZipHeader))
        {
            return;
        }
        if (read == LegacyHeader.Length && head.AsSpan().SequenceEqual(LegacyHeader))
        {
            throw new InvalidDataException($"{path}: written by torch.save before PyTorch 1.6 (the legacy format, as is {StandardFileName}), which TorchSharp.PyBridge cannot read. Re-save it once in the zip format with PyTorch 1.6 or newer: python -c \"import torch; torch.save(torch.load('{Path.GetFileName(path)}'), 'pt_inception-2015-12-05-zip.pth')\", then give the new file.");
        }
        throw new InvalidDataException($"{path}: not a PyTorch weight file (neither the zip format of torch.save nor its legacy format).");
    }

    private static Dictionary<string, Tensor> Read(Stream stream, string path)
    {
        Hashtable table;
        try
        {
            table = PyTorchUnpickler.UnpickleStateDict(stream, leaveOpen: true);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: cannot read a PyTorch state dict from it ({e.GetType().Name}: {e.Message}). The file must be a state dict saved with torch.save(model.state_dict(), ...).", e);
        }
        var loaded = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is string key && entry.Value is Tensor tensor)
            {
                loaded[key] = tensor;
            }
        }
        return loaded;
    }

    private static void CheckKeys(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> loaded, string path)
    {
        var problems = new List<string>();
        var missing = expected.Keys.Where(k => !loaded.ContainsKey(k)).ToArray();
        if (missing.Length > 0)
        {
            problems.Add(Listed("missing key", missing));
        }
        var unexpected = loaded.Keys.Where(k => !expected.ContainsKey(k)).OrderBy(k => k, StringComparer.Ordinal).ToArray();
        if (unexpected.Length > 0)
        {
            problems.Add(Listed("unexpected key", unexpected));
        }
        foreach (var (key, target) in expected)
        {
            if (loaded.TryGetValue(key, out var source) && !source.shape.SequenceEqual(target.shape))
            {
                problems.Add($"key '{key}' has shape [{string.Join(", ", source.shape)}], the network's is [{string.Join(", ", target.shape)}]");
            }
        }
        if (problems.Count > 0)
        {
            throw new InvalidDataException($"{path}: not the FID Inception-V3 state dict ({expected.Count} keys, as in {StandardFileName}): {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $"; and {problems.Count - 5} more problems" : "")}.");
        }
    }

    private static string Listed(string what, IReadOnlyList<string> keys) =>
        keys.Count == 1 ? $"{what} '{keys[0]}'" : $"{keys.Count} {what}s, the first '{keys[0]}'";
}
