using System.Globalization;
using System.Linq;
using System.Text;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Helpers;

/// <summary>
/// Writes a bound spec, every default filled in, as canonical YAML: the same model always gives the same text, so
/// its hash identifies the model whatever the file's layout, comments or base chain.
/// </summary>
internal static class CanonicalSpecWriter
{
    public static string Write(SpecModel spec)
    {
        var text = new StringBuilder();
        void Line(int indent, string content) => text.Append(' ', indent * 2).Append(content).Append('\n');

        Line(0, "name: " + spec.Name);
        Line(0, $"image: {{ resolution: {spec.Image.Resolution}, channels: {spec.Image.Channels} }}");
        Line(0, "latent: " + spec.Latent);
        Line(0, "attributes:");
        foreach (var attribute in spec.Attributes) Line(1, $"{Quote(attribute.Name)}: [{string.Join(", ", attribute.Levels.Select(Quote))}]");

        var g = spec.Generator;
        Line(0, "generator:");
        Line(1, $"initial: {{ resolution: {g.Initial.Resolution}, channels: {g.Initial.Channels}, attribute_channels: {g.Initial.AttributeChannels} }}");
        Line(1, "norm: " + Spellings.Of(Spellings.Norms, g.Norm));
        Line(1, "blur: " + Bool(g.Blur));
        Line(1, "stages:");
        foreach (var stage in g.Stages) Line(2, $"- {{ resolution: {stage.Resolution}, channels: {stage.Channels} }}");
        Line(1, "attention: " + Attention(g.Attention));
        Line(1, "skip_excitation: [" + string.Join(", ", g.SkipExcitation.Select(l => $"{{ from: {l.From}, to: {l.To} }}")) + "]");
        Line(1, "output: " + g.Output.ToString().ToLowerInvariant());
        // Keys added after the first specs appear only when not at their default, so older specs keep their hash (and
        // with it their run directories and checkpoints); leaving a key out and writing its default still give one text.
        if (g.NoiseInjection) Line(1, "noise_injection: true");
        if (g.Block != GeneratorBlockChoice.Glu) Line(1, "block: " + Spellings.Of(Spellings.GeneratorBlocks, g.Block));
        if (g.SpectralNorm) Line(1, "spectral_norm: true");

        var d = spec.Discriminator;
        Line(0, "discriminator:");
        Line(1, "input_channels: " + d.InputChannels);
        Line(1, "blur: " + Bool(d.Blur));
        Line(1, "stages:");
        foreach (var stage in d.Stages) Line(2, $"- {{ resolution: {stage.Resolution}, channels: {stage.Channels} }}");
        Line(1, "attention: " + Attention(d.Attention));
        Line(1, "projection: " + d.Projection.ToString().ToLowerInvariant());
        if (d.ProjectionPooling != PoolingChoice.Mean) Line(1, "projection_pooling: " + Spellings.Of(Spellings.Poolings, d.ProjectionPooling));
        if (d.SpectralNorm) Line(1, "spectral_norm: true");
        if (d.MinibatchStd > 0) Line(1, "minibatch_std: " + d.MinibatchStd.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (d.Block != DiscriminatorBlockChoice.Strided) Line(1, "block: " + Spellings.Of(Spellings.DiscriminatorBlocks, d.Block));
        Line(1, "contrastive: " + (d.Contrastive is { } c ? $"{{ at: {c.At}, dim: {c.Dim}, temperature: {Number(c.Temperature)} }}" : "null"));
        Line(1, "reconstruction: " + (d.Reconstruction is { } r ? $"{{ at: [{string.Join(", ", r.At)}], size: {r.Size} }}" : "null"));
        // The classifier (and its loss weights) only when present: specs written before it existed keep their hash.
        if (d.Classifier is { } k) Line(1, $"classifier: {{ at: {k.At} }}");

        var losses = spec.Losses;
        Line(0, "losses:");
        Line(1, "adversarial: " + losses.Adversarial.ToString().ToLowerInvariant());
        Line(1, "reconstruction: " + Number(losses.Reconstruction));
        // negatives only when not the default: specs written before the key existed keep their hash, and with it their
        // run directories and checkpoints. (Still canonical: leaving it out and writing the default give one text.)
        string negatives = losses.ContrastiveNegatives == NegativesChoice.GlobalBatch ? "" : ", negatives: " + Spellings.Of(Spellings.Negatives, losses.ContrastiveNegatives);
        Line(1, $"contrastive: {{ discriminator: {Number(losses.ContrastiveDiscriminator)}, generator: {Number(losses.ContrastiveGenerator)}{negatives} }}");
        if (d.Classifier is not null || losses.ClassificationDiscriminator > 0 || losses.ClassificationGenerator > 0)
            Line(1, $"classification: {{ discriminator: {Number(losses.ClassificationDiscriminator)}, generator: {Number(losses.ClassificationGenerator)} }}");
        if (losses.GradientPenalty is { } gp)
            Line(1, $"gradient_penalty: {{ kind: {Spellings.Of(Spellings.Penalties, gp.Kind)}, weight: {Number(gp.Weight)}, every: {gp.Every} }}");

        var t = spec.Training;
        Line(0, "training:");
        Line(1, "batch: " + t.Batch);
        Line(1, "steps: " + t.Steps);
        Line(1, "learning_rate: " + Number(t.LearningRate));
        Line(1, $"betas: [{Number(t.Beta1)}, {Number(t.Beta2)}]");
        var rampup = t.Ema.Rampup is { } emaRampup ? ", rampup: " + Number(emaRampup) : "";   // only when set: older specs keep their hash
        Line(1, $"ema: {{ decay: {Number(t.Ema.Decay)}, start: {t.Ema.Start}, every: {t.Ema.Every}{rampup} }}");
        Line(1, "seed: " + t.Seed);
        Line(1, "checkpoint_every: " + t.CheckpointEvery);
        Line(1, "combination_percentile: " + Number(t.CombinationPercentile));
        Line(1, $"augmentation: {{ crop: {Number(t.Augmentation.Crop)}, colour: {Bool(t.Augmentation.Colour)}, translation: {Bool(t.Augmentation.Translation)} }}");
        if (t.DiffAugment is { } da)
            Line(1, $"diff_augment: {{ policy: [{string.Join(", ", Policies(da.Policy))}], probability: {Number(da.Probability)} }}");
        return text.ToString();
    }

    /// <summary>64-bit FNV-1a of the UTF-8 text, as 16 hex digits.</summary>
    public static string Hash(string text)
    {
        unchecked
        {
            ulong hash = 14695981039346656037UL;
            foreach (byte b in Encoding.UTF8.GetBytes(text))
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }

            return hash.ToString("x16", CultureInfo.InvariantCulture);
        }
    }

    private static string Attention(AttentionSpec? attention) => attention is null
        ? "null"
        : $"{{ at: [{string.Join(", ", attention.At)}], heads: {attention.Heads}, key_dim: {Optional(attention.KeyDim)}, value_dim: {Optional(attention.ValueDim)}{AttentionKind(attention.Kind)} }}";

    /// <summary>Written only when it is not the default, so specs without it keep their hashes (and their runs resume).</summary>
    private static string AttentionKind(AttentionKindChoice kind) =>
        kind == AttentionKindChoice.Efficient ? "" : ", kind: " + Spellings.Of(Spellings.AttentionKinds, kind);

    /// <summary>The policies of a set, in the language's fixed order.</summary>
    internal static string[] Policies(AugmentPolicyChoice set) =>
        Spellings.AugmentPolicies.Where(p => (set & p.Value) != 0).Select(p => p.Spelling).ToArray();

    private static string Optional(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    private static string Bool(bool value) => value ? "true" : "false";

    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Quote(string value) =>
        value.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-') && value.Length > 0 ? value : "'" + value.Replace("'", "''") + "'";
}
