using System.Linq;
using AttributeGan.Generators.Diagnostics;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Binding;

/// <summary>Binds how a spec is trained: <c>losses:</c> (with the defaults its discriminator's heads imply) and <c>training:</c>.</summary>
internal static class TrainingBinder
{
    public static LossSpec? BindLosses(MappingReader? losses, DiscriminatorSpec? discriminator, BindingContext context)
    {
        double contrastiveDefault = discriminator?.Contrastive is null ? 0 : 1;
        double reconstructionDefault = discriminator?.Reconstruction is null ? 0 : 1;
        double classificationDefault = discriminator?.Classifier is null ? 0 : 1;
        if (losses is null)
        {
            return new LossSpec(Adversarial: AdversarialChoice.Hinge, Reconstruction: reconstructionDefault, ContrastiveDiscriminator: contrastiveDefault,
                ContrastiveGenerator: contrastiveDefault, ContrastiveNegatives: NegativesChoice.GlobalBatch, GradientPenalty: null,
                ClassificationDiscriminator: classificationDefault, ClassificationGenerator: classificationDefault);
        }

        var adversarial = losses.Choice("adversarial", AdversarialChoice.Hinge, ("hinge", AdversarialChoice.Hinge));
        var reconstruction = losses.Double("reconstruction", reconstructionDefault);
        var (forDiscriminator, forGenerator, contrastiveWeights) = BindNetworkWeights(losses, "contrastive", contrastiveDefault, context);
        NegativesChoice? negatives = contrastiveWeights is null
            ? NegativesChoice.GlobalBatch
            : contrastiveWeights.Choice("negatives", NegativesChoice.GlobalBatch, Spellings.Negatives);

        GradientPenaltySpec? penalty = null;
        bool penaltyOk = true;
        if (losses.Mapping("gradient_penalty", false, "") is { } gp)
        {
            var kind = gp.Choice("kind", PenaltyChoice.R1, Spellings.Penalties);
            var weight = gp.Double("weight", 10);
            var every = gp.Int("every", 1, 1);
            penaltyOk = kind is not null && weight is not null && every is not null;
            if (penaltyOk) penalty = new GradientPenaltySpec(kind!.Value, weight!.Value, every!.Value);
        }
        else if (losses.Has("gradient_penalty"))
        {
            penaltyOk = false;   // a scalar or list: Mapping reported it
        }

        var (classifyReal, classifyFake, _) = BindNetworkWeights(losses, "classification", classificationDefault, context);

        if (adversarial is null || reconstruction is null || forDiscriminator is null || forGenerator is null || negatives is null || !penaltyOk
            || classifyReal is null || classifyFake is null) return null;
        return new LossSpec(adversarial.Value, reconstruction.Value, forDiscriminator.Value, forGenerator.Value, negatives.Value, penalty, classifyReal.Value, classifyFake.Value);
    }

    /// <summary>
    /// A loss weighted per network, <c>losses.&lt;key&gt;</c>: one number for both (<c>contrastive: 1.0</c>) or a mapping
    /// with <c>discriminator</c> and <c>generator</c>, each defaulting to <paramref name="fallback"/>. A weight is null when it
    /// could not be read (reported); the mapping is returned so the caller can read its other keys.
    /// </summary>
    private static (double? Discriminator, double? Generator, MappingReader? Mapping) BindNetworkWeights(MappingReader losses, string key, double fallback,
        BindingContext context)
    {
        if (losses.Value(key) is not { } node) return (fallback, fallback, null);
        if (node is ScalarNode)
        {
            var both = MappingReader.ReadDouble(node, "losses." + key, context);
            return (both, both, null);
        }

        if (losses.Mapping(key, false, "") is { } weights)
            return (weights.Double("discriminator", fallback), weights.Double("generator", fallback), weights);
        return (null, null, null);   // a list: Mapping reported it
    }

    public static TrainingSpec? BindTraining(MappingReader? training, BindingContext context)
    {
        // The authors' code crops a quarter of the batches (scale 0.5–1) and applies no DiffAugment.
        var defaults = new TrainingSpec(
            Batch: 64, Steps: 50000, LearningRate: 2e-4, Beta1: 0.5, Beta2: 0.9,
            Ema: new EmaSpec(Decay: 0.995, Start: 20000, Every: 10),
            Seed: 0, CheckpointEvery: 1000, CombinationPercentile: 20,
            Augmentation: new AugmentationSpec(Crop: 0.25, Colour: false, Translation: false),
            DiffAugment: null);
        if (training is null) return defaults;
        var batch = training.Int("batch", defaults.Batch, 1, 1 << 20);
        var steps = training.Int("steps", defaults.Steps, 1);
        var learningRate = training.Double("learning_rate", defaults.LearningRate);
        var seed = training.Int("seed", defaults.Seed);
        var checkpointEvery = training.Int("checkpoint_every", defaults.CheckpointEvery, 1);
        var percentile = training.Double("combination_percentile", defaults.CombinationPercentile);

        double? beta1 = defaults.Beta1, beta2 = defaults.Beta2;
        if (training.Value("betas") is { } betasNode)
        {
            if (betasNode is SequenceNode { Items.Count: 2 } pair)
            {
                beta1 = MappingReader.ReadDouble(pair.Items[0], "training.betas[0]", context);
                beta2 = MappingReader.ReadDouble(pair.Items[1], "training.betas[1]", context);
                context.Record("training.betas[0]", pair.Items[0].Location);
                context.Record("training.betas[1]", pair.Items[1].Location);
            }
            else
            {
                context.Report(DiagnosticDescriptors.WrongType, betasNode.Location, "'training.betas'", "a list of two numbers such as [0.5, 0.9]",
                    betasNode is SequenceNode list ? $"a list of {list.Items.Count}" : betasNode.KindName);
                beta1 = null;
            }
        }

        EmaSpec? ema = defaults.Ema;
        if (training.Mapping("ema", false, "") is { } e)
        {
            var decay = e.Double("decay", defaults.Ema.Decay);
            var start = e.Int("start", defaults.Ema.Start, 0);
            var every = e.Int("every", defaults.Ema.Every, 1);
            // Absent (or null): no ramp-up. A value that is not a number is reported by Double and fails the binding.
            double? rampup = e.Has("rampup") ? e.Double("rampup", 0) : null;
            bool rampupOk = !e.Has("rampup") || rampup is not null;
            ema = decay is null || start is null || every is null || !rampupOk ? null : new EmaSpec(decay.Value, start.Value, every.Value, rampup);
        }

        AugmentationSpec? augmentation = defaults.Augmentation;
        if (training.Mapping("augmentation", false, "") is { } a)
        {
            var crop = a.Double("crop", defaults.Augmentation.Crop);
            var colour = a.Bool("colour", defaults.Augmentation.Colour);
            var translation = a.Bool("translation", defaults.Augmentation.Translation);
            augmentation = crop is null || colour is null || translation is null ? null : new AugmentationSpec(crop.Value, colour.Value, translation.Value);
        }

        DiffAugmentSpec? diffAugment = null;
        bool diffAugmentOk = true;
        if (training.Mapping("diff_augment", false, "") is { } da)
        {
            var policy = da.ChoiceList("policy", new[] { AugmentPolicyChoice.Colour, AugmentPolicyChoice.Translation, AugmentPolicyChoice.Cutout }, Spellings.AugmentPolicies);
            var probability = da.Double("probability", 1.0);
            diffAugmentOk = policy is not null && probability is not null;
            if (diffAugmentOk) diffAugment = new DiffAugmentSpec(policy!.Aggregate(AugmentPolicyChoice.None, (all, one) => all | one), probability!.Value);
        }
        else if (training.Has("diff_augment"))
        {
            diffAugmentOk = false;
        }

        if (batch is null || steps is null || learningRate is null || seed is null || checkpointEvery is null || percentile is null || beta1 is null || beta2 is null || ema is null || augmentation is null || !diffAugmentOk)
            return null;
        return new TrainingSpec(batch.Value, steps.Value, learningRate.Value, beta1.Value, beta2.Value, ema, seed.Value, checkpointEvery.Value, percentile.Value, augmentation, diffAugment);
    }
}
