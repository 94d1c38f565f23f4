using System.Collections.Generic;

namespace AttributeGan.Generators.Binding;

/// <summary>
/// The keys each mapping of the spec language allows, by path (list items as <c>[]</c>). The binder reads
/// exactly these; a test holds <c>specs/spec.schema.json</c> to the same set.
/// </summary>
public static class SpecSchema
{
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> KeysByPath { get; } = new Dictionary<string, IReadOnlyList<string>>
    {
        [""] = new[] { "name", "base", "image", "latent", "attributes", "generator", "discriminator", "losses", "training" },
        ["image"] = new[] { "resolution", "channels" },
        ["generator"] = new[] { "initial", "norm", "blur", "stages", "attention", "skip_excitation", "output", "noise_injection", "block", "spectral_norm" },
        ["generator.initial"] = new[] { "resolution", "channels", "attribute_channels" },
        ["generator.stages[]"] = new[] { "resolution", "channels" },
        ["generator.attention"] = new[] { "at", "heads", "key_dim", "value_dim", "kind" },
        ["generator.skip_excitation[]"] = new[] { "from", "to" },
        ["discriminator"] = new[] { "input_channels", "blur", "stages", "attention", "projection", "projection_pooling", "spectral_norm", "minibatch_std", "contrastive", "reconstruction", "block", "classifier" },
        ["discriminator.stages[]"] = new[] { "resolution", "channels" },
        ["discriminator.attention"] = new[] { "at", "heads", "key_dim", "value_dim", "kind" },
        ["discriminator.contrastive"] = new[] { "at", "dim", "temperature" },
        ["discriminator.reconstruction"] = new[] { "at", "size" },
        ["discriminator.classifier"] = new[] { "at" },
        ["losses"] = new[] { "adversarial", "reconstruction", "contrastive", "gradient_penalty", "classification" },
        ["losses.contrastive"] = new[] { "discriminator", "generator", "negatives" },
        ["losses.gradient_penalty"] = new[] { "kind", "weight", "every" },
        ["losses.classification"] = new[] { "discriminator", "generator" },
        ["training"] = new[] { "batch", "steps", "learning_rate", "betas", "ema", "seed", "checkpoint_every", "combination_percentile", "augmentation", "diff_augment" },
        ["training.ema"] = new[] { "decay", "start", "every", "rampup" },
        ["training.augmentation"] = new[] { "crop", "colour", "translation" },
        ["training.diff_augment"] = new[] { "policy", "probability" },
    };

    /// <summary>Mappings whose keys are the user's own names (attribute names), not language keys.</summary>
    public static IReadOnlyList<string> FreeFormPaths { get; } = new[] { "attributes" };
}
