using System.Collections.Generic;
using System.Linq;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Planning;

/// <summary>
/// Plans both networks of a valid spec as dataflow graphs: which layers exist, in which order, which tensors each
/// reads and writes. The wiring lives here and only here; what a layer costs comes from its <see cref="BlockCatalog"/>
/// entry, and the emitters print the graph without re-walking the spec.
/// </summary>
internal static class NetworkPlanner
{
    /// <summary>The discriminator's outputs, named in the graph and returned by its forward.</summary>
    public const string PatchLogits = "patchLogits", Embedding = "embedding", AttributeEmbedding = "attributeEmbedding", AttributeLogits = "attributeLogits";

    /// <summary>The activated last feature map of a residual discriminator, read by its logit and projection.</summary>
    private const string Features = "features";

    public static CompiledSpec Plan(SpecModel spec) => new(spec, PlanGenerator(spec), PlanDiscriminator(spec));

    /// <summary>The variable holding the trunk's feature map at a resolution.</summary>
    private static string At(int resolution) => "x" + resolution;

    private static NetworkPlan PlanGenerator(SpecModel spec)
    {
        var g = spec.Generator;
        // generator.spectral_norm applies to the residual generator only (with GLU blocks it is reported as without effect).
        bool residual = g.Block == GeneratorBlockChoice.Residual, sn = residual && g.SpectralNorm;
        var layers = new List<LayerPlan>();
        int r0 = g.Initial.Resolution;
        // The GLU generator takes the attributes in its first block; BigGAN's residual one in every block's conditional norms.
        layers.Add(residual
            ? BlockCatalog.Linear("initial", Wire.Declare(At(r0), "noise"), spec.Latent, g.Initial.Channels, r0, sn)
            : BlockCatalog.Initial("initial", Wire.Declare(At(r0), "noise", "attributes"),
                spec.Latent, spec.AttributeWidth, g.Initial.Channels, g.Initial.AttributeChannels, r0, g.Norm));

        var channelsAt = new Dictionary<int, long>();
        long channels = residual ? g.Initial.Channels : g.Initial.Channels + g.Initial.AttributeChannels;
        string current = At(r0);
        foreach (var stage in g.Stages)
        {
            int r = stage.Resolution;
            long cout = stage.Channels;
            string x = At(r);
            layers.Add(residual
                ? BlockCatalog.ResidualUp("stage" + r, Wire.Declare(x, current, "attributes"), channels, cout, spec.AttributeWidth, r, g.Norm, sn)
                : BlockCatalog.Up("stage" + r, Wire.Declare(x, current), channels, cout, r, g.Blur, g.Norm));
            if (g.NoiseInjection)
                layers.Add(BlockCatalog.Noise("noise" + r, Wire.Assign(x, x, "noise"), cout, r));
            if (g.Attention is { } attention && attention.At.Contains(r))
                layers.Add(BlockCatalog.Attention("attention" + r, Wire.Assign(x, x), attention, cout, r, sn));
            foreach (var link in g.SkipExcitation.Where(l => l.To == r))
                layers.Add(BlockCatalog.Excitation($"excite{link.From}to{link.To}", Wire.Assign(x, At(link.From), x), channelsAt[link.From], cout, link.From, r, sn));
            channelsAt[r] = cout;
            channels = cout;
            current = x;
        }

        // Residual blocks end on a convolution, not a norm: BigGAN's output layer normalises and activates first.
        layers.Add(BlockCatalog.Output("to_image", Wire.Declare("image", current), channels, spec.Image.Channels, spec.Image.Resolution,
            g.Output == OutputActivation.Tanh, sn, residual ? g.Norm : NormChoice.None));
        return new NetworkPlan(layers.ToEquatableArray());
    }

    private static NetworkPlan PlanDiscriminator(SpecModel spec)
    {
        var d = spec.Discriminator;
        bool sn = d.SpectralNorm, residual = d.Block == DiscriminatorBlockChoice.Residual;
        var layers = new List<LayerPlan>();
        long width = spec.AttributeWidth, imageChannels = spec.Image.Channels;
        long channels = d.InputChannels;
        string current = At(spec.Image.Resolution);
        layers.Add(BlockCatalog.Input("from_image", Wire.Declare(current, "images"), imageChannels, channels, spec.Image.Resolution, sn));

        var channelsAt = new Dictionary<int, long>();
        foreach (var stage in d.Stages)
        {
            int r = stage.Resolution;
            string x = At(r);
            layers.Add(residual
                ? BlockCatalog.ResidualDown("stage" + r, Wire.Declare(x, current), channels, stage.Channels, r, sn)
                : BlockCatalog.Down("stage" + r, Wire.Declare(x, current), channels, stage.Channels, r, d.Blur, sn));
            if (d.Attention is { } attention && attention.At.Contains(r))
                layers.Add(BlockCatalog.Attention("attention" + r, Wire.Assign(x, x), attention, stage.Channels, r, sn));
            channelsAt[r] = stage.Channels;
            channels = stage.Channels;
            current = x;
        }

        int last = d.Stages[d.Stages.Count - 1].Resolution;
        if (residual)
        {
            // BigGAN: the last block's output is activated once; the pooled logit and the projection both read it.
            layers.Add(BlockCatalog.Relu("activate", Wire.Declare(Features, current), channels, last));
            current = Features;
        }

        var logits = residual
            ? BlockCatalog.Pooled("logits", Wire.Declare(PatchLogits, current), channels, sn)
            : BlockCatalog.Logits("logits", Wire.Declare(PatchLogits, current), channels, last, d.MinibatchStd, sn);
        layers.Add(logits);
        long logitCount = logits.Shape[0];
        if (d.Projection == ProjectionChoice.Projection)
            layers.Add(BlockCatalog.Projection("projection", Wire.Assign(PatchLogits, current, "attributes", PatchLogits), width, channels, logitCount, d.ProjectionPooling, sn));
        else if (d.Projection == ProjectionChoice.Gate)
            layers.Add(BlockCatalog.Gate("gate", Wire.Assign(PatchLogits, "attributes", PatchLogits), width, logitCount, sn));

        if (d.Contrastive is { } contrastive)
        {
            layers.Add(BlockCatalog.Contrastive("contrastive", Wire.Assign(Embedding, At(contrastive.At)), channelsAt[contrastive.At], contrastive.At, contrastive.Dim, sn));
            layers.Add(BlockCatalog.Embedding("attribute_embedding", Wire.Assign(AttributeEmbedding, "attributes"), width, contrastive.Dim, sn));
        }

        if (d.Classifier is { } classifier)
        {
            // A residual discriminator's last map is read activated, as its logit reads it.
            string features = residual && classifier.At == last ? Features : At(classifier.At);
            layers.Add(BlockCatalog.Classifier("classifier", Wire.Assign(AttributeLogits, features), channelsAt[classifier.At], width, sn));
        }

        if (d.Reconstruction is { } reconstruction)
        {
            int smallest = reconstruction.At.Min();
            foreach (int at in reconstruction.At.OrderBy(x => x))
            {
                // The smallest map is decoded whole; higher ones decode the quadrant the step picked, at half the size.
                string input = at == smallest ? At(at) : $"Quadrant({At(at)}, heads.Quadrant)";
                long inResolution = at == smallest ? at : at / 2;
                layers.Add(BlockCatalog.Decoder("reconstruct" + at, Wire.Declare("image" + at, input), channelsAt[at], inResolution, reconstruction.Size, imageChannels, sn));
            }
        }

        return new NetworkPlan(layers.ToEquatableArray());
    }
}
