using System.Collections.Generic;

namespace AttributeGan.Models;

public enum ProjectionKind
{
    /// <summary>Miyato-style projection: logits + ⟨embed(y), mean over positions of the features⟩ (the paper).</summary>
    Projection,

    /// <summary>Element-wise gate of the patch logits by a linear map of the attribute vector: logits + (W y) ⊙ logits (the authors' code, generalised).</summary>
    Gate,

    /// <summary>No conditioning of the adversarial logits.</summary>
    None,
}

/// <summary>The discriminator's heads as compiled: where they read features and what they return (<see cref="ClassifierResolution"/> null: no auxiliary classifier).</summary>
public sealed record DiscriminatorHeadLayout(
    int LogitCount,
    ProjectionKind Projection,
    int? ContrastiveResolution,
    int ContrastiveDim,
    double ContrastiveTemperature,
    IReadOnlyList<int> ReconstructionResolutions,
    int ReconstructionSize,
    int? ClassifierResolution = null);
