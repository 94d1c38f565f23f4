using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using AttributeGan.Models.Specs;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Tests.Data;
using AttributeGan.Runtime.Training;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Checkpoints;

/// <summary>
/// The checkpoint's bytes on disk: "AGANCKPT", the header as one length-prefixed JSON string, the networks and Adam
/// states, "AGAN-END". Written and read here by hand, so that files of earlier versions keep loading whatever code
/// writes them.
/// </summary>
public sealed class CheckpointFileTests : IDisposable
{
    private readonly TempDirectory directory = new();

    public void Dispose() => directory.Dispose();

    [Fact]
    public void A_checkpoint_is_the_magic_number_a_json_header_the_weights_and_the_end_marker()
    {
        string path = directory.File("step-00000005.ckpt");
        using (var state = new GanTrainingState(TinySpec.Instance, CPU, seed: 3) { Step = 5 })
            CheckpointFile.Write(path, state, seed: 3, optionsIdentity: "batch=8 seed=3");

        using (var reader = new BinaryReader(File.OpenRead(path), Encoding.UTF8))
        {
            Assert.Equal("AGANCKPT", Encoding.ASCII.GetString(reader.ReadBytes(8)));
            var header = JsonSerializer.Deserialize<CheckpointHeader>(reader.ReadString())!;
            Assert.Equal((1, "Tiny", TinySpec.Instance.SpecHash, 5L, 3, "batch=8 seed=3"),
                (header.FormatVersion, header.SpecName, header.SpecHash, header.Step, header.Seed, header.OptionsIdentity));
        }
        Assert.Equal("AGAN-END", Encoding.ASCII.GetString(File.ReadAllBytes(path)[^8..]));

        using var loaded = new GanTrainingState(TinySpec.Instance, CPU, seed: 4);
        Assert.Equal(5, CheckpointFile.Load(path, loaded).Step);
        Assert.Equal(5, loaded.Step);
    }

    [Fact]
    public void A_header_written_by_hand_reads_and_a_wrong_one_is_refused_as_before()
    {
        var header = new CheckpointHeader(1, "Tiny", "abc123", 42, 7, "batch=8", new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(header, CheckpointFile.ReadHeader(WriteHeader("good.ckpt", "AGANCKPT", JsonSerializer.Serialize(header))));

        var newer = Assert.Throws<CheckpointException>(() =>
            CheckpointFile.ReadHeader(WriteHeader("newer.ckpt", "AGANCKPT", JsonSerializer.Serialize(header with { FormatVersion = 2 }))));
        Assert.EndsWith("has checkpoint format 2; this version reads format 1.", newer.Message);
        Assert.False(newer.Damaged);

        var other = Assert.Throws<CheckpointException>(() => CheckpointFile.ReadHeader(WriteHeader("classifier.bin", "AGANCLSF", JsonSerializer.Serialize(header))));
        Assert.EndsWith("is not an AttributeGan checkpoint (wrong magic number).", other.Message);
        Assert.True(other.Damaged);

        var empty = Assert.Throws<CheckpointException>(() => CheckpointFile.ReadHeader(WriteHeader("empty.ckpt", "AGANCKPT", "null")));
        Assert.EndsWith("has an empty header.", empty.Message);

        var cut = Assert.Throws<CheckpointException>(() => CheckpointFile.ReadHeader(WriteHeader("cut.ckpt", "AGANCKPT", "{\"FormatVersion\":")));
        Assert.Contains("is damaged or incomplete", cut.Message);
        Assert.True(cut.Damaged);

        var missing = Assert.Throws<CheckpointException>(() => CheckpointFile.ReadHeader(directory.File("none.ckpt")));
        Assert.StartsWith("Cannot open the checkpoint", missing.Message);
    }

    [Fact]
    public void A_checkpoint_without_its_end_marker_is_damaged()
    {
        string path = directory.File("step-00000001.ckpt");
        using var state = new GanTrainingState(TinySpec.Instance, CPU, seed: 1);
        CheckpointFile.Write(path, state, seed: 1, optionsIdentity: "");
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^8]);

        var error = Assert.Throws<CheckpointException>(() => CheckpointFile.Load(path, state));
        Assert.True(error.Damaged);
        Assert.Contains("an earlier checkpoint of the run may still load", error.Message);
    }

    private string WriteHeader(string name, string magic, string json)
    {
        string path = directory.File(name);
        using var writer = new BinaryWriter(File.Create(path), Encoding.UTF8);
        writer.Write(Encoding.ASCII.GetBytes(magic));
        writer.Write(json);
        return path;
    }
}
