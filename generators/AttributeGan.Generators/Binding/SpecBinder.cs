using System.Collections.Generic;
using AttributeGan.Generators.Diagnostics;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Binding;

/// <summary>
/// Binds a resolved YAML tree to the spec model: types, required keys, choices and defaults. Rules that relate
/// several values (resolutions that must double, heads that must divide channels...) are the validator's.
/// </summary>
internal static class SpecBinder
{
    public const int MaxChannels = 1 << 16;
    public const int MaxResolution = 1 << 14;
    public const int MaxLatent = 1 << 16;

    /// <returns>The bound spec without hash and canonical text, or null when a value could not be read.</returns>
    public static SpecModel? Bind(MappingNode root, string fileName, BindingContext context)
    {
        var spec = new MappingReader(root, "", "", context);
        var name = spec.Required("name", "the C# name of the model, e.g. AttributeGan512") is { } nameNode
            ? (nameNode is ScalarNode scalarName ? scalarName.Value : Wrong(nameNode, "name", "a name", context))
            : null;
        var image = BindImage(spec, context);
        var latent = spec.RequiredInt("latent", "the noise vector length, e.g. 256", 1, MaxLatent);
        var attributes = BindAttributes(spec, context);
        var generator = spec.Mapping("generator", true, "the generator's initial block and stages") is { } g ? BindGenerator(g, context) : null;
        var discriminator = spec.Mapping("discriminator", true, "the discriminator's stages and heads") is { } d ? BindDiscriminator(d, context) : null;
        var losses = TrainingBinder.BindLosses(spec.Mapping("losses", false, ""), discriminator, context);
        var training = TrainingBinder.BindTraining(spec.Mapping("training", false, ""), context);

        if (name is null || image is null || latent is null || attributes is null || generator is null || discriminator is null || losses is null || training is null)
            return null;
        return new SpecModel(name, fileName, "", "", image, latent.Value, attributes.Value, generator, discriminator, losses, training);
    }

    private static string? Wrong(SpecNode node, string path, string expected, BindingContext context)
    {
        context.Report(DiagnosticDescriptors.WrongType, node.Location, MappingReader.Describe(path), expected, node.KindName);
        return null;
    }

    private static ImageSpec? BindImage(MappingReader spec, BindingContext context)
    {
        var image = spec.Mapping("image", true, "the image size, e.g. { resolution: 512, channels: 3 }");
        if (image is null) return null;
        var resolution = image.RequiredInt("resolution", "the image side in pixels", 1, MaxResolution);
        var channels = image.Int("channels", 3, 1, 64);
        return resolution is null || channels is null ? null : new ImageSpec(resolution.Value, channels.Value);
    }

    private static EquatableArray<AttributeSpec>? BindAttributes(MappingReader spec, BindingContext context)
    {
        var value = spec.Required("attributes", "each attribute's ordered levels, e.g. mitosis: [rare, occasional, frequent]");
        if (value is null) return null;
        if (value is not MappingNode mapping)
        {
            Wrong(value, "attributes", "a mapping of attribute names to level lists", context);
            return null;
        }

        if (mapping.Entries.Count == 0)
        {
            context.Report(DiagnosticDescriptors.ListEmpty, value.Location, "'attributes'", "is empty", "list at least one attribute with its levels");
            return null;
        }

        var result = new List<AttributeSpec>();
        bool ok = true;
        foreach (var entry in mapping.Entries)
        {
            string path = "attributes." + entry.Key.Value;
            context.Record(path, entry.Key.Location);
            if (entry.Value is not SequenceNode levels)
            {
                Wrong(entry.Value, path, "a list of level names such as [normal, mild, severe]", context);
                ok = false;
                continue;
            }

            if (levels.Items.Count < 2)
            {
                context.Report(DiagnosticDescriptors.ListEmpty, levels.Items.Count == 0 ? levels.Location : entry.Key.Location,
                    $"The level list of '{entry.Key.Value}'", levels.Items.Count == 0 ? "is empty" : "has only one level",
                    levels.Items.Count == 0 ? "list its levels in order, lowest first" : "an attribute needs at least two levels to be controlled");
                ok = false;
                continue;
            }

            var names = new List<string>();
            var seen = new HashSet<string>();
            for (int i = 0; i < levels.Items.Count; i++)
            {
                context.Record($"{path}[{i}]", levels.Items[i].Location);
                if (levels.Items[i] is not ScalarNode { IsNull: false } level)
                {
                    Wrong(levels.Items[i], $"{path}[{i}]", "a level name", context);
                    ok = false;
                    continue;
                }

                if (!seen.Add(level.Value))
                {
                    context.Report(DiagnosticDescriptors.DuplicateLevel, level.Location, entry.Key.Value, MappingReader.Truncate(level.Value));
                    ok = false;
                }

                names.Add(level.Value);
            }

            result.Add(new AttributeSpec(entry.Key.Value, names.ToEquatableArray()));
        }

        return ok ? result.ToEquatableArray() : null;
    }

    private static GeneratorSpec? BindGenerator(MappingReader generator, BindingContext context)
    {
        var block = generator.Choice("block", GeneratorBlockChoice.Glu, Spellings.GeneratorBlocks);
        bool residual = block == GeneratorBlockChoice.Residual;
        InitialSpec? initial = null;
        if (generator.Mapping("initial", true, "the 4×4 block, e.g. { resolution: 4, channels: 512, attribute_channels: 128 }") is { } i)
        {
            var resolution = i.Int("resolution", 4, 1, MaxResolution);
            var channels = i.RequiredInt("channels", "noise channels after the transposed convolution", 1, MaxChannels);
            var attributeChannels = i.Int("attribute_channels", 128, 1, MaxChannels);
            if (residual && i.Has("attribute_channels"))
                context.Report(DiagnosticDescriptors.SettingWithoutEffect, i.PathOf("attribute_channels"), "'generator.initial.attribute_channels'", "with 'block: residual'",
                    "the attributes enter through every residual block's conditional batch norm, not the initial block; remove it");
            if (resolution is not null && channels is not null && attributeChannels is not null)
                initial = new InitialSpec(resolution.Value, channels.Value, attributeChannels.Value);
        }

        var norm = generator.Choice("norm", NormChoice.Batch, Spellings.Norms);
        var blur = BindBlur(generator, "generator", residual, "up-sample by nearest neighbour", context);
        var stages = BindStages(generator, "generator", context);
        bool attentionOk = TryBindAttention(generator, out var attention);
        var links = BindSkipLinks(generator, context);
        var output = generator.Choice("output", OutputActivation.Tanh, ("tanh", OutputActivation.Tanh), ("none", OutputActivation.None));
        var noise = generator.Bool("noise_injection", false);
        var spectralNorm = generator.Bool("spectral_norm", false);

        if (initial is null || norm is null || blur is null || stages is null || !attentionOk || links is null || output is null || noise is null || block is null || spectralNorm is null)
            return null;
        return new GeneratorSpec(initial, norm.Value, blur.Value, stages.Value, attention, links.Value, output.Value, noise.Value, block.Value, spectralNorm.Value);
    }

    private static DiscriminatorSpec? BindDiscriminator(MappingReader discriminator, BindingContext context)
    {
        var stages = BindStages(discriminator, "discriminator", context);
        int defaultInput = stages is { Count: > 0 } s ? s[0].Channels : 16;
        var inputChannels = discriminator.Int("input_channels", defaultInput, 1, MaxChannels);
        var block = discriminator.Choice("block", DiscriminatorBlockChoice.Strided, Spellings.DiscriminatorBlocks);
        var blur = BindBlur(discriminator, "discriminator", block == DiscriminatorBlockChoice.Residual, "down-sample by average pooling", context);
        bool attentionOk = TryBindAttention(discriminator, out var attention);
        var projection = discriminator.Choice("projection", ProjectionChoice.Projection,
            ("projection", ProjectionChoice.Projection), ("gate", ProjectionChoice.Gate), ("none", ProjectionChoice.None));
        var pooling = discriminator.Choice("projection_pooling", PoolingChoice.Mean, Spellings.Poolings);
        var spectralNorm = discriminator.Bool("spectral_norm", false);
        var minibatchStd = discriminator.Int("minibatch_std", 0, 0, 1024);

        ContrastiveSpec? contrastive = null;
        bool contrastiveOk = true;
        if (discriminator.Mapping("contrastive", false, "") is { } c)
        {
            var at = c.RequiredInt("at", "the feature resolution the contrastive head reads, e.g. 128", 1, MaxResolution);
            var dim = c.Int("dim", 256, 1, MaxChannels);
            var temperature = c.Double("temperature", 0.1);
            contrastiveOk = at is not null && dim is not null && temperature is not null;
            if (contrastiveOk) contrastive = new ContrastiveSpec(at!.Value, dim!.Value, temperature!.Value);
        }

        ReconstructionSpec? reconstruction = null;
        bool reconstructionOk = true;
        if (discriminator.Mapping("reconstruction", false, "") is { } r)
        {
            if (!r.Has("at")) r.Required("at", "the feature resolutions the decoders read, e.g. [8, 16]");
            var at = r.IntList("at", 1, MaxResolution);
            if (at is { Count: 0 } && r.Has("at")) context.Report(DiagnosticDescriptors.ListEmpty, r.PathOf("at"), "'discriminator.reconstruction.at'", "is empty", "list the feature resolutions the decoders read, e.g. [8, 16]");
            var size = r.RequiredInt("size", "the side of the reconstructed image, e.g. 128", 1, MaxResolution);
            reconstructionOk = at is { Count: > 0 } && size is not null;
            if (reconstructionOk) reconstruction = new ReconstructionSpec(at!.ToEquatableArray(), size!.Value);
        }

        ClassifierSpec? classifier = null;
        bool classifierOk = true;
        if (discriminator.Mapping("classifier", false, "") is { } k)
        {
            // The last stage's features by default: the map the adversarial logits read.
            var at = k.Int("at", stages is { Count: > 0 } all ? all[all.Count - 1].Resolution : 0, 1, MaxResolution);
            classifierOk = at is not null;
            if (classifierOk) classifier = new ClassifierSpec(at!.Value);
        }
        else if (discriminator.Has("classifier"))
        {
            classifierOk = false;   // a scalar or list: Mapping reported it
        }

        if (stages is null || inputChannels is null || blur is null || !attentionOk || projection is null || pooling is null || spectralNorm is null || minibatchStd is null || block is null || !contrastiveOk || !reconstructionOk || !classifierOk)
            return null;
        return new DiscriminatorSpec(inputChannels.Value, blur.Value, stages.Value, attention, projection.Value, contrastive, reconstruction, pooling.Value, spectralNorm.Value,
            minibatchStd.Value, block.Value, classifier);
    }

    /// <summary>
    /// <c>blur</c>: on by default for the GLU and strided blocks, which use it; residual blocks (BigGAN) have none, so
    /// there it defaults to off and asking for it is a setting without effect.
    /// </summary>
    private static bool? BindBlur(MappingReader network, string networkPath, bool residual, string residualSampling, BindingContext context)
    {
        var blur = network.Bool("blur", !residual);
        if (residual && blur == true)
            context.Report(DiagnosticDescriptors.SettingWithoutEffect, network.PathOf("blur"), $"'{networkPath}.blur: true'", "with 'block: residual'",
                $"residual blocks {residualSampling}, as BigGAN; remove it");
        return blur;
    }

    private static EquatableArray<StageSpec>? BindStages(MappingReader network, string networkPath, BindingContext context)
    {
        var sequence = network.Sequence("stages", true, "the list of { resolution, channels } blocks");
        if (sequence is null) return null;
        if (sequence.Items.Count == 0)
        {
            context.Report(DiagnosticDescriptors.ListEmpty, sequence.Location, $"'{networkPath}.stages'", "is empty", "list at least one { resolution, channels } stage");
            return null;
        }

        var stages = new List<StageSpec>();
        bool ok = true;
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            var stage = MappingReader.Of(sequence.Items[i], $"{networkPath}.stages[{i}]", $"{networkPath}.stages[]", context);
            var resolution = stage?.RequiredInt("resolution", "the stage's output side in pixels", 1, MaxResolution);
            var channels = stage?.RequiredInt("channels", "the stage's output channels", 1, MaxChannels);
            if (resolution is null || channels is null) ok = false;
            else stages.Add(new StageSpec(resolution.Value, channels.Value));
        }

        return ok ? stages.ToEquatableArray() : null;
    }

    /// <returns>false when a value could not be read; <paramref name="spec"/> is null when the network has no attention.</returns>
    private static bool TryBindAttention(MappingReader network, out AttentionSpec? spec)
    {
        spec = null;
        var attention = network.Mapping("attention", false, "");
        if (attention is null) return !network.Has("attention");
        var at = attention.IntList("at", 1, MaxResolution);
        var heads = attention.Int("heads", 8, 1, 1024);
        var keyDim = attention.Has("key_dim") ? attention.Int("key_dim", 0, 1, MaxChannels) : null;
        var valueDim = attention.Has("value_dim") ? attention.Int("value_dim", 0, 1, MaxChannels) : null;
        var kind = attention.Choice("kind", AttentionKindChoice.Efficient, Spellings.AttentionKinds);
        if (at is null || heads is null || kind is null || (attention.Has("key_dim") && keyDim is null) || (attention.Has("value_dim") && valueDim is null)) return false;
        if (at.Count > 0) spec = new AttentionSpec(at.ToEquatableArray(), heads.Value, keyDim, valueDim, kind.Value);
        return true;
    }

    private static EquatableArray<SkipLinkSpec>? BindSkipLinks(MappingReader generator, BindingContext context)
    {
        var sequence = generator.Sequence("skip_excitation", false, "");
        if (sequence is null) return generator.Has("skip_excitation") ? null : EquatableArray<SkipLinkSpec>.Empty;
        var links = new List<SkipLinkSpec>();
        bool ok = true;
        for (int i = 0; i < sequence.Items.Count; i++)
        {
            var link = MappingReader.Of(sequence.Items[i], $"generator.skip_excitation[{i}]", "generator.skip_excitation[]", context);
            var from = link?.RequiredInt("from", "the low resolution whose features gate", 1, MaxResolution);
            var to = link?.RequiredInt("to", "the high resolution that is gated", 1, MaxResolution);
            if (from is null || to is null) ok = false;
            else links.Add(new SkipLinkSpec(from.Value, to.Value));
        }

        return ok ? links.ToEquatableArray() : null;
    }
}
