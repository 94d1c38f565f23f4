using AttributeGan.Runtime.IO;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using AttributeGan.Models;
using AttributeGan.Runtime.Numerics;
using AttributeGan.Runtime.Training;

namespace AttributeGan.Runtime.Checkpoints;

/// <summary>
/// <c>run.json</c>: which spec (name and hash) and which settings a run directory belongs to. Every checkpoint
/// repeats the spec name and hash, so a checkpoint alone can rebuild its model.
/// </summary>
/// <param name="FrequentLevels">The most frequent attribute combination of the training data: what sampling fixes the other attributes at.</param>
public sealed record RunManifest(string SpecName, string SpecHash, string CanonicalSpec, TrainOptions Options, IReadOnlyList<int> FrequentLevels, DateTime CreatedUtc)
{
    /// <summary>The numerics check of every start of the run, oldest first (absent in runs from before the check existed).</summary>
    public IReadOnlyList<NumericsRecord> NumericsChecks { get; init; } = Array.Empty<NumericsRecord>();

    public RunManifest WithNumerics(NumericsRecord check) => this with { NumericsChecks = NumericsChecks.Append(check).ToArray() };

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public static RunManifest For(IGanSpec spec, TrainOptions options, IReadOnlyList<int> frequentLevels) =>
        new(spec.Name, spec.SpecHash, spec.CanonicalSpec, options, frequentLevels, DateTime.UtcNow);

    public void Write(string path) => AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, Json));

    public static RunManifest Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<RunManifest>(File.ReadAllText(path), Json)
                   ?? throw new CheckpointException($"{path} is empty; delete the run directory or point --out at a new one.");
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{path} is not a valid run manifest ({e.Message}); delete it or point --out at a new run directory.", e);
        }
    }

    /// <summary>Refuses a spec other than the one this run was trained with, naming both.</summary>
    public void RequireSpec(IGanSpec spec, string where)
    {
        if (spec.Name != SpecName)
            throw new CheckpointException($"{where} was trained with the model '{SpecName}', not '{spec.Name}'; use --model {SpecName} or a new run directory.");
        if (spec.SpecHash != SpecHash)
            throw new CheckpointException(
                $"{where} was trained with '{SpecName}' of spec hash {SpecHash}, but the compiled '{spec.Name}' has hash {spec.SpecHash}: its spec file changed since. " +
                "Restore the spec, or train into a new run directory.");
    }
}
