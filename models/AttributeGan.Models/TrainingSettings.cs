namespace AttributeGan.Models;

/// <summary>Exponential moving average of the generator: updated every <see cref="Every"/> steps from <see cref="Start"/> on.</summary>
public sealed record EmaSettings(double Decay, int Start, int Every);

/// <summary>Augmentation of real batches: random resized crop (scale 0.5–1) with a probability, DiffAugment colour and translation.</summary>
public sealed record AugmentationSettings(double CropProbability, bool Colour, bool Translation);

/// <summary>The training defaults of a spec: <c>training:</c>. The command line may override them.</summary>
public sealed record TrainingSettings(
    int Batch,
    int Steps,
    double LearningRate,
    double Beta1,
    double Beta2,
    EmaSettings Ema,
    int Seed,
    int CheckpointEvery,
    double CombinationPercentile,
    AugmentationSettings Augmentation);
