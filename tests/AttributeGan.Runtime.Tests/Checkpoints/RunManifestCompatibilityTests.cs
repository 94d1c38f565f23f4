using System.IO;
using AttributeGan.Runtime.Checkpoints;
using Xunit;

namespace AttributeGan.Runtime.Tests.Checkpoints;

/// <summary>
/// A run directory outlives the version that wrote it: train resumes it, sample and evaluate read it. This is the
/// run.json of a run trained on 2026-12-05 (before the collapse monitor's MonitorEvery setting existed), paths made
/// neutral; a new TrainOptions or RunManifest property without a default (or a renamed one) fails here.
/// </summary>
public class RunManifestCompatibilityTests
{
    private const string WrittenOn20261205 = """
    {
      "SpecName": "AttributeGan64",
      "SpecHash": "68e290bc391f0889",
      "CanonicalSpec": "name: AttributeGan64\n# (the canonical spec text; not read back by the manifest)\n",
      "Options": {
        "Batch": 16,
        "Steps": 1500,
        "Seed": 0,
        "CheckpointEvery": 500,
        "KeepCheckpoints": 3,
        "SampleEvery": 500,
        "DataDirectory": "/data/tissue64",
        "SyntheticCount": 4096,
        "CombinationPercentile": 20,
        "SkipBadImages": false,
        "Augmentation": {
          "CropProbability": 0.25,
          "CropScaleMin": 0.5,
          "CropScaleMax": 1,
          "Colour": false,
          "Translation": false,
          "TranslationFraction": 0.125
        },
        "Device": "cpu",
        "NumericsFallback": false,
        "Identity": "batch=16 seed=0 data=/data/tissue64 percentile=20 augmentation=crop:0.25,colour:False,translation:False"
      },
      "FrequentLevels": [
        1,
        1,
        1,
        0,
        1
      ],
      "CreatedUtc": "2026-12-05T12:12:13.814167Z",
      "NumericsChecks": [
        {
          "CheckedUtc": "2026-12-05T12:12:13.3491971Z",
          "Model": "AttributeGan64",
          "Passed": true,
          "OneDnn": "on",
          "Threads": 2,
          "Batch": 2,
          "Seconds": 0.85,
          "LargestRelativeError": 0.001140021024936627,
          "LargestIn": "discriminator stage32: down_conv.weight gradient",
          "Tolerance": 0.05,
          "Summary": "AttributeGan64: 21 blocks match their float64 reference (largest relative error 1.1e-3 in discriminator stage32; tolerance 5.0e-2; batch 2, 2 thread(s), 0.9 s)",
          "FailedFirst": null
        }
      ]
    }
    """;

    [Fact]
    public void A_manifest_written_by_an_older_version_still_reads_with_defaults_for_what_it_lacks()
    {
        string path = Path.Combine(Path.GetTempPath(), $"run-{System.Guid.NewGuid():N}.json");
        File.WriteAllText(path, WrittenOn20261205);
        try
        {
            var manifest = RunManifest.Read(path);

            Assert.Equal("AttributeGan64", manifest.SpecName);
            Assert.Equal("68e290bc391f0889", manifest.SpecHash);
            Assert.Equal(16, manifest.Options.Batch);
            Assert.Equal(1500, manifest.Options.Steps);
            Assert.Equal(500, manifest.Options.CheckpointEvery);
            Assert.Equal("/data/tissue64", manifest.Options.DataDirectory);
            Assert.Equal(0.25, manifest.Options.Augmentation.CropProbability);
            Assert.Equal(50, manifest.Options.MonitorEvery); // absent in the file: the default
            Assert.Equal(5, manifest.FrequentLevels.Count);
            Assert.True(Assert.Single(manifest.NumericsChecks).Passed);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
