namespace AttributeGan.Models;

/// <summary>
/// What a layer of a compiled network is for, and so on which passes it runs. The compiler assigns it from the block
/// catalogue; cost models (model FLOPs, the per-layer profile) read it instead of block names.
/// </summary>
public enum LayerRole
{
    /// <summary>Runs on every forward pass: the stages, their attention, excitation and noise, the input/output convolutions and the patch logits.</summary>
    Trunk,

    /// <summary>Runs on every forward pass and joins the attributes with the discriminator's judgement (projection, gate).</summary>
    Conditioning,

    /// <summary>Runs only when the contrastive head is asked for (<see cref="DiscriminatorHeads.Contrastive"/>).</summary>
    Contrastive,

    /// <summary>Runs only when the reconstruction decoders are asked for (<see cref="DiscriminatorHeads.Reconstruction"/>).</summary>
    Reconstruction,

    /// <summary>Runs only when the auxiliary attribute classifier is asked for (<see cref="DiscriminatorHeads.Classifier"/>).</summary>
    Classifier,
}
