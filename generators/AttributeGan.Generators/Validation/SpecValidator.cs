using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Generators.Binding;
using AttributeGan.Generators.Diagnostics;
using AttributeGan.Generators.Helpers;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Validation;

/// <summary>The rules that relate values of a bound spec to each other; each failure points at the YAML that breaks it.</summary>
internal static class SpecValidator
{
    /// <summary>Names the generated spec class (and its Combination record) already use; an attribute may not become one. <c>ReservedNamesTests</c> checks the list against the emitted class.</summary>
    internal static readonly string[] ReservedSpecMembers =
    {
        "Instance", "Name", "SourceFile", "SpecHash", "CanonicalSpec", "Resolution", "ImageChannels", "LatentSize", "Attributes",
        "Heads", "Losses", "Training", "GeneratorParameters", "DiscriminatorParameters", "GeneratorMacsPerImage",
        "DiscriminatorMacsPerImage", "GeneratorLayers", "DiscriminatorLayers", "CreateGenerator", "CreateDiscriminator",
        "Combination", "AttributeWidth", "Equals", "GetHashCode", "ToString", "GetType",
        "ImageResolution", "GeneratorParameterCount", "DiscriminatorParameterCount", "Encode", "Deconstruct", "PrintMembers",
        "Finalize", "ReferenceEquals",
    };

    public static void Validate(SpecModel spec, BindingContext context)
    {
        ValidateNames(spec, context);
        ValidateImage(spec, context);
        ValidateGenerator(spec, context);
        ValidateDiscriminator(spec, context);
        ValidateLosses(spec, context);
        ValidateTraining(spec.Training, context);
    }

    private static void ValidateNames(SpecModel spec, BindingContext context)
    {
        if (!Naming.IsIdentifier(spec.Name))
            context.Report(DiagnosticDescriptors.InvalidModelName, "name", MappingReader.Truncate(spec.Name), Naming.ToPascalCase(spec.Name) ?? "AttributeGan64");

        var attributeNames = new Dictionary<string, string>();
        foreach (var attribute in spec.Attributes)
        {
            string path = "attributes." + attribute.Name;
            var pascal = Naming.ToPascalCase(attribute.Name);
            if (pascal is null)
            {
                context.Report(DiagnosticDescriptors.NameNotIdentifier, path, "The attribute", MappingReader.Truncate(attribute.Name));
                continue;
            }

            if (attributeNames.TryGetValue(pascal, out var other))
                context.Report(DiagnosticDescriptors.NameCollision, path, "The attribute", attribute.Name, pascal, $"the attribute '{other}' also becomes");
            else if (ReservedSpecMembers.Contains(pascal) || pascal == spec.Name + "Spec")
                context.Report(DiagnosticDescriptors.NameCollision, path, "The attribute", attribute.Name, pascal, "the generated spec class already uses");
            attributeNames[pascal] = attribute.Name;

            var levelNames = new Dictionary<string, string>();
            for (int i = 0; i < attribute.Levels.Count; i++)
            {
                var level = attribute.Levels[i];
                var levelPascal = Naming.ToPascalCase(level);
                if (levelPascal is null)
                    context.Report(DiagnosticDescriptors.NameNotIdentifier, $"{path}[{i}]", "The level", MappingReader.Truncate(level));
                else if (levelNames.TryGetValue(levelPascal, out var otherLevel))
                    context.Report(DiagnosticDescriptors.NameCollision, $"{path}[{i}]", "The level", level, levelPascal, $"the level '{otherLevel}' also becomes");
                else levelNames[levelPascal] = level;
            }
        }
    }

    private static void ValidateImage(SpecModel spec, BindingContext context)
    {
        RequirePowerOfTwo(spec.Image.Resolution, "image.resolution", context, minimum: 8);
    }

    private static void ValidateGenerator(SpecModel spec, BindingContext context)
    {
        var generator = spec.Generator;
        if (generator.SpectralNorm && generator.Block == GeneratorBlockChoice.Glu)
            context.Report(DiagnosticDescriptors.SettingWithoutEffect, "generator.spectral_norm", "'generator.spectral_norm'", "with 'block: glu'",
                "spectral normalisation of the generator is built for BigGAN's residual blocks; remove it or use 'block: residual'");
        RequirePowerOfTwo(generator.Initial.Resolution, "generator.initial.resolution", context, minimum: 1);
        int previous = generator.Initial.Resolution;
        var stages = generator.Stages;
        for (int i = 0; i < stages.Count; i++)
        {
            string path = $"generator.stages[{i}].resolution";
            if (!RequirePowerOfTwo(stages[i].Resolution, path, context, minimum: 2)) return;
            if (stages[i].Resolution != previous * 2)
            {
                context.Report(DiagnosticDescriptors.GeneratorStagesMustDouble, path, i + 1, stages[i].Resolution,
                    i == 0 ? $"the initial block is {previous}×{previous}" : $"the stage before is {previous}", previous * 2);
                return;
            }

            previous = stages[i].Resolution;
        }

        if (previous != spec.Image.Resolution)
            context.Report(DiagnosticDescriptors.ResolutionMismatch, $"generator.stages[{stages.Count - 1}].resolution",
                "The last generator stage", previous, $"the image resolution is {spec.Image.Resolution}",
                previous < spec.Image.Resolution ? "add stages up to the image resolution" : "remove stages above the image resolution");

        var resolutions = stages.Select(s => s.Resolution).ToList();
        ValidateAttention(generator.Attention, "generator", stages, context);

        var seen = new HashSet<SkipLinkSpec>();
        for (int i = 0; i < generator.SkipExcitation.Count; i++)
        {
            var link = generator.SkipExcitation[i];
            string path = $"generator.skip_excitation[{i}]";
            if (!seen.Add(link))
            {
                context.Report(DiagnosticDescriptors.DuplicateEntry, path, "'generator.skip_excitation'", $"{{ from: {link.From}, to: {link.To} }}");
                continue;
            }

            if (!resolutions.Contains(link.From)) context.Report(DiagnosticDescriptors.SkipLinkAtMissingStage, path + ".from", "from", link.From, List(resolutions));
            else if (!resolutions.Contains(link.To)) context.Report(DiagnosticDescriptors.SkipLinkAtMissingStage, path + ".to", "to", link.To, List(resolutions));
            else if (link.From >= link.To) context.Report(DiagnosticDescriptors.SkipLinkMustPointUp, path, link.From, link.To, link.From == link.To ? "at itself" : "downwards");
        }
    }

    private static void ValidateDiscriminator(SpecModel spec, BindingContext context)
    {
        var discriminator = spec.Discriminator;
        var stages = discriminator.Stages;
        int previous = spec.Image.Resolution;
        for (int i = 0; i < stages.Count; i++)
        {
            string path = $"discriminator.stages[{i}].resolution";
            if (!RequirePowerOfTwo(stages[i].Resolution, path, context, minimum: 1)) return;
            if (stages[i].Resolution * 2 != previous)
            {
                if (i == 0)
                    context.Report(DiagnosticDescriptors.ResolutionMismatch, path, "The first discriminator stage", stages[i].Resolution,
                        $"it must halve the {previous}×{previous} image", $"use {previous / 2}");
                else
                    context.Report(DiagnosticDescriptors.DiscriminatorStagesMustHalve, path, i + 1, stages[i].Resolution, $"the stage before is {previous}", previous / 2);
                return;
            }

            previous = stages[i].Resolution;
        }

        if (previous < 4 && discriminator.Block == DiscriminatorBlockChoice.Strided)
            context.Report(DiagnosticDescriptors.OutOfRange, $"discriminator.stages[{stages.Count - 1}].resolution", "The last discriminator stage's resolution",
                previous, "at least 4, the size of the 4×4 patch-logit convolution");

        var resolutions = stages.Select(s => s.Resolution).ToList();
        ValidateAttention(discriminator.Attention, "discriminator", stages, context);

        if (discriminator.Contrastive is { } contrastive)
        {
            if (!resolutions.Contains(contrastive.At))
                context.Report(DiagnosticDescriptors.HeadAtMissingResolution, "discriminator.contrastive.at", contrastive.At, List(resolutions), "contrastive");
            RequirePositiveFinite(contrastive.Temperature, "discriminator.contrastive.temperature", context);
        }

        if (discriminator.Classifier is { } classifier && !resolutions.Contains(classifier.At))
            context.Report(DiagnosticDescriptors.HeadAtMissingResolution, "discriminator.classifier.at", classifier.At, List(resolutions), "classifier");

        if (discriminator.Reconstruction is { } reconstruction)
        {
            var seen = new HashSet<int>();
            for (int i = 0; i < reconstruction.At.Count; i++)
            {
                int at = reconstruction.At[i];
                string path = $"discriminator.reconstruction.at[{i}]";
                if (!seen.Add(at)) context.Report(DiagnosticDescriptors.DuplicateEntry, path, "'discriminator.reconstruction.at'", at);
                else if (!resolutions.Contains(at))
                    context.Report(DiagnosticDescriptors.ReconstructionInvalid, path, $"reads the {at}×{at} features, but no discriminator stage has that resolution", "use one of " + List(resolutions));
            }

            int size = reconstruction.Size;
            int smallestInput = reconstruction.At.Count == 0 ? 0 : reconstruction.At.Min();
            if (RequirePowerOfTwo(size, "discriminator.reconstruction.size", context, minimum: 2))
            {
                if (size > spec.Image.Resolution)
                    context.Report(DiagnosticDescriptors.ReconstructionInvalid, "discriminator.reconstruction.size", $"size {size} is larger than the {spec.Image.Resolution}×{spec.Image.Resolution} image", $"use at most {spec.Image.Resolution}");
                else if (size <= smallestInput)
                    context.Report(DiagnosticDescriptors.ReconstructionInvalid, "discriminator.reconstruction.size", $"size {size} does not exceed the {smallestInput}×{smallestInput} features it decodes", $"use at least {smallestInput * 2}");
            }
        }
    }

    private static void ValidateAttention(AttentionSpec? attention, string network, EquatableArray<StageSpec> stages, BindingContext context)
    {
        if (attention is null) return;
        var seen = new HashSet<int>();
        for (int i = 0; i < attention.At.Count; i++)
        {
            int at = attention.At[i];
            string path = $"{network}.attention.at[{i}]";
            if (!seen.Add(at))
            {
                context.Report(DiagnosticDescriptors.DuplicateEntry, path, $"'{network}.attention.at'", at);
                continue;
            }

            var stage = stages.FirstOrDefault(s => s.Resolution == at);
            if (stage is null)
            {
                context.Report(DiagnosticDescriptors.AttentionAtMissingResolution, path, network, at, List(stages.Select(s => s.Resolution)));
                continue;
            }

            bool needsDivision = attention.KeyDim is null || attention.ValueDim is null;
            if (needsDivision && stage.Channels % attention.Heads != 0)
            {
                int suggestion = Enumerable.Range(1, Math.Min(attention.Heads, stage.Channels)).Reverse().First(h => stage.Channels % h == 0);
                context.Report(DiagnosticDescriptors.HeadsDoNotDivideChannels, $"{network}.attention.heads", network, at, stage.Channels, attention.Heads, suggestion);
            }
        }
    }

    private static void ValidateLosses(SpecModel spec, BindingContext context)
    {
        var losses = spec.Losses;
        RequireNonNegativeFinite(losses.Reconstruction, "losses.reconstruction", context);
        RequireNonNegativeFinite(losses.ContrastiveDiscriminator, "losses.contrastive.discriminator", context);
        RequireNonNegativeFinite(losses.ContrastiveGenerator, "losses.contrastive.generator", context);

        var discriminator = spec.Discriminator;
        if (discriminator.Contrastive is null)
        {
            if (losses.ContrastiveDiscriminator > 0) context.Report(DiagnosticDescriptors.LossWithoutHead, "losses.contrastive.discriminator", "contrastive.discriminator", losses.ContrastiveDiscriminator, "contrastive");
            if (losses.ContrastiveGenerator > 0) context.Report(DiagnosticDescriptors.LossWithoutHead, "losses.contrastive.generator", "contrastive.generator", losses.ContrastiveGenerator, "contrastive");
        }
        else if (losses.ContrastiveDiscriminator == 0 && losses.ContrastiveGenerator == 0)
        {
            context.Report(DiagnosticDescriptors.UnusedHead, "discriminator.contrastive", "contrastive", "contrastive");
        }

        RequireNonNegativeFinite(losses.ClassificationDiscriminator, "losses.classification.discriminator", context);
        RequireNonNegativeFinite(losses.ClassificationGenerator, "losses.classification.generator", context);
        if (discriminator.Classifier is null)
        {
            if (losses.ClassificationDiscriminator > 0) context.Report(DiagnosticDescriptors.LossWithoutHead, "losses.classification.discriminator", "classification.discriminator", losses.ClassificationDiscriminator, "classifier");
            if (losses.ClassificationGenerator > 0) context.Report(DiagnosticDescriptors.LossWithoutHead, "losses.classification.generator", "classification.generator", losses.ClassificationGenerator, "classifier");
        }
        else if (losses.ClassificationDiscriminator == 0 && losses.ClassificationGenerator == 0)
        {
            context.Report(DiagnosticDescriptors.UnusedHead, "discriminator.classifier", "classifier", "classification");
        }

        if (losses.GradientPenalty is { } penalty) RequireNonNegativeFinite(penalty.Weight, "losses.gradient_penalty.weight", context);
        if (discriminator.ProjectionPooling != PoolingChoice.Mean && discriminator.Projection != ProjectionChoice.Projection)
            context.Report(DiagnosticDescriptors.SettingWithoutEffect, "discriminator.projection_pooling", "'discriminator.projection_pooling'",
                $"with 'projection: {discriminator.Projection.ToString().ToLowerInvariant()}'", "it pools the features of 'projection: projection'; remove it or use that projection");

        if (discriminator.MinibatchStd > 0 && discriminator.Block == DiscriminatorBlockChoice.Residual)
            context.Report(DiagnosticDescriptors.SettingWithoutEffect, "discriminator.minibatch_std", "'discriminator.minibatch_std'", "with 'block: residual'",
                "the spread channel is part of the patch-logit head of 'block: strided'; remove it or use that block");
        else if (discriminator.MinibatchStd == 1)
            context.Report(DiagnosticDescriptors.OutOfRange, "discriminator.minibatch_std", "'discriminator.minibatch_std'", 1,
                "0 (off) or a group size of at least 2: one image has no spread to measure");
        else if (discriminator.MinibatchStd > 1 && spec.Training.Batch % discriminator.MinibatchStd != 0)
            context.Report(DiagnosticDescriptors.OutOfRange, "discriminator.minibatch_std", "'discriminator.minibatch_std'", discriminator.MinibatchStd,
                $"a divisor of training.batch ({spec.Training.Batch}), so every group is whole, e.g. {LargestDivisorAtMost(spec.Training.Batch, discriminator.MinibatchStd)}");

        if (discriminator.Reconstruction is null && losses.Reconstruction > 0)
            context.Report(DiagnosticDescriptors.LossWithoutHead, "losses.reconstruction", "reconstruction", losses.Reconstruction, "reconstruction");
        else if (discriminator.Reconstruction is not null && losses.Reconstruction == 0)
            context.Report(DiagnosticDescriptors.UnusedHead, "discriminator.reconstruction", "reconstruction", "reconstruction");
    }

    private static void ValidateTraining(TrainingSpec training, BindingContext context)
    {
        RequirePositiveFinite(training.LearningRate, "training.learning_rate", context);
        RequireUnitInterval(training.Beta1, "training.betas[0]", context, "in [0, 1)", upperOpen: true);
        RequireUnitInterval(training.Beta2, "training.betas[1]", context, "in [0, 1)", upperOpen: true);
        RequireUnitInterval(training.Ema.Decay, "training.ema.decay", context, "in [0, 1]", upperOpen: false);
        if (training.Ema.Rampup is { } rampup)
        {
            const string rampupRange = "in (0, 1]: the average's half-life as a fraction of the steps trained, such as 0.05";
            if (double.IsNaN(rampup) || double.IsInfinity(rampup))
                context.Report(DiagnosticDescriptors.NegativeOrNonFinite, "training.ema.rampup", "'training.ema.rampup'", Format(rampup), rampupRange);
            else if (rampup <= 0 || rampup > 1)
                context.Report(DiagnosticDescriptors.OutOfRange, "training.ema.rampup", "'training.ema.rampup'", Format(rampup), rampupRange);
        }
        RequireUnitInterval(training.Augmentation.Crop, "training.augmentation.crop", context, "a probability in [0, 1]", upperOpen: false);
        if (training.DiffAugment is { } diffAugment)
        {
            RequireUnitInterval(diffAugment.Probability, "training.diff_augment.probability", context, "a probability in [0, 1]", upperOpen: false);
            if (diffAugment.Policy == AugmentPolicyChoice.None)
                context.Report(DiagnosticDescriptors.ListEmpty, "training.diff_augment.policy", "'training.diff_augment.policy'", "is empty",
                    "list at least one of colour, translation, cutout, or remove 'diff_augment'");
        }
        if (double.IsNaN(training.CombinationPercentile) || training.CombinationPercentile < 0 || training.CombinationPercentile >= 100)
            context.Report(DiagnosticDescriptors.OutOfRange, "training.combination_percentile", "'training.combination_percentile'", Format(training.CombinationPercentile), "in [0, 100): 0 keeps every combination");
    }

    /// <summary>The largest divisor of <paramref name="value"/> in 2..limit, or the value itself when there is none (a prime batch).</summary>
    private static int LargestDivisorAtMost(int value, int limit)
    {
        for (int d = Math.Min(value, limit); d > 1; d--) if (value % d == 0) return d;
        return value;
    }

    private static bool RequirePowerOfTwo(int value, string path, BindingContext context, int minimum)
    {
        if (value >= minimum && (value & (value - 1)) == 0) return true;
        int lower = 1;
        while (lower * 2 <= value && lower < (1 << 30)) lower *= 2;
        string suggestion = value < minimum ? $"at least {minimum}" : $"{lower} or {lower * 2}";
        context.Report(DiagnosticDescriptors.ResolutionNotPowerOfTwo, path, "'" + path + "'", value, suggestion);
        return false;
    }

    private static void RequirePositiveFinite(double value, string path, BindingContext context)
    {
        if (!(value > 0) || double.IsInfinity(value))
            context.Report(DiagnosticDescriptors.NegativeOrNonFinite, path, "'" + path + "'", Format(value), "greater than 0");
    }

    private static void RequireNonNegativeFinite(double value, string path, BindingContext context)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            context.Report(DiagnosticDescriptors.NegativeOrNonFinite, path, "'" + path + "'", Format(value), "of at least 0 (0 switches the term off)");
    }

    private static void RequireUnitInterval(double value, string path, BindingContext context, string range, bool upperOpen)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            context.Report(DiagnosticDescriptors.NegativeOrNonFinite, path, "'" + path + "'", Format(value), range);
        else if (value < 0 || value > 1 || (upperOpen && value == 1))
            context.Report(DiagnosticDescriptors.OutOfRange, path, "'" + path + "'", Format(value), range);
    }

    private static string Format(double value) => value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static string List(IEnumerable<int> values) => string.Join(", ", values);
}
