using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Validation;

/// <summary>
/// Plans both networks of a valid spec layer by layer and infers, at compile time, every output shape, parameter
/// count and multiply-accumulate count. The formulas mirror the building blocks in models/Blocks; tests hold the
/// generated constants against the real TorchSharp modules. All arithmetic is checked: an overflow is reported.
/// </summary>
internal static class ShapeInference
{
    public static CompiledSpec Plan(SpecModel spec) => new(spec, PlanGenerator(spec), PlanDiscriminator(spec));

    /// <summary>Generated names of the per-resolution layers, shared with the emitter's forward code.</summary>
    public static string Stage(int resolution) => "stage" + resolution;

    public static string Attention(int resolution) => "attention" + resolution;

    public static string Excitation(SkipLinkSpec link) => $"excite{link.From}to{link.To}";

    public static string Reconstruction(int resolution) => "reconstruct" + resolution;

    public static string Noise(int resolution) => "noise" + resolution;

    private static NetworkPlan PlanGenerator(SpecModel spec)
    {
        var g = spec.Generator;
        var layers = new List<LayerPlan>();
        long latent = spec.Latent, width = spec.AttributeWidth, r0 = g.Initial.Resolution;
        long n = g.Initial.Channels, a = g.Initial.AttributeChannels;
        string norm = Norm(g.Norm);
        long normParameters(long channels) => g.Norm == NormChoice.None ? channels : 2 * channels; // the conv bias, or batch norm affine

        layers.Add(Layer("initial", "InitialBlock", Args(("latent", latent), ("attributeWidth", width), ("noiseChannels", n), ("attributeChannels", a), ("resolution", r0), ("norm", norm)), Shape(n + a, r0, r0),
            latent * 2 * n * r0 * r0 + width * 2 * a * r0 * r0 + normParameters(2 * n) + normParameters(2 * a),
            latent * 2 * n * r0 * r0 + width * 2 * a * r0 * r0));

        var channelsAt = new Dictionary<int, long>();
        long channels = n + a;
        foreach (var stage in g.Stages)
        {
            long cin = channels, cout = stage.Channels, area = (long)stage.Resolution * stage.Resolution;
            layers.Add(Layer(Stage(stage.Resolution), "UpBlock", Args(("inChannels", cin), ("outChannels", cout), ("blur", Bool(g.Blur)), ("norm", norm)), Shape(cout, stage.Resolution, stage.Resolution),
                cin * 2 * cout * 9 + normParameters(2 * cout),
                cin * 2 * cout * 9 * area + (g.Blur ? 9 * cin * area : 0)));
            if (g.NoiseInjection)
                layers.Add(Layer(Noise(stage.Resolution), "NoiseInjection", Args(("channels", cout)), Shape(cout, stage.Resolution, stage.Resolution), cout, cout * area));
            if (g.Attention is { } attention && attention.At.Contains(stage.Resolution))
                layers.Add(AttentionLayer(attention, cout, stage.Resolution));
            foreach (var link in g.SkipExcitation.Where(l => l.To == stage.Resolution))
                layers.Add(ExcitationLayer(link, channelsAt[link.From], cout));
            channelsAt[stage.Resolution] = cout;
            channels = cout;
        }

        long ic = spec.Image.Channels, r = spec.Image.Resolution;
        layers.Add(Layer("to_image", "OutputConv", Args(("channels", channels), ("imageChannels", ic), ("tanh", Bool(g.Output == OutputActivation.Tanh))), Shape(ic, r, r),
            channels * ic * 9 + ic, channels * ic * 9 * r * r));
        return new NetworkPlan(layers.ToEquatableArray());
    }

    private static NetworkPlan PlanDiscriminator(SpecModel spec)
    {
        var d = spec.Discriminator;
        var layers = new List<LayerPlan>();
        long ic = spec.Image.Channels, r = spec.Image.Resolution, width = spec.AttributeWidth;
        long channels = d.InputChannels;
        // Spectral normalisation is a named argument the blocks default to false: specs without it emit what they always did.
        EquatableArray<string> DArgs(params (string Name, object Value)[] arguments) => Args(d.SpectralNorm, arguments);
        layers.Add(Layer("from_image", "InputConv", DArgs(("imageChannels", ic), ("channels", channels)), Shape(channels, r, r), ic * channels * 9 + channels, ic * channels * 9 * r * r));

        var channelsAt = new Dictionary<int, long>();
        foreach (var stage in d.Stages)
        {
            long cin = channels, cout = stage.Channels, area = (long)stage.Resolution * stage.Resolution;
            layers.Add(Layer(Stage(stage.Resolution), "DownBlock", DArgs(("inChannels", cin), ("outChannels", cout), ("blur", Bool(d.Blur))), Shape(cout, stage.Resolution, stage.Resolution),
                cin * cout * 16 + cout + cout * cout * 9 + cout + cin * cout + cout,
                (d.Blur ? 9 * cin * 4 * area : 0) + cin * cout * 16 * area + cout * cout * 9 * area + cin * cout * area));
            if (d.Attention is { } attention && attention.At.Contains(stage.Resolution))
                layers.Add(AttentionLayer(attention, cout, stage.Resolution, d.SpectralNorm));
            channelsAt[stage.Resolution] = cout;
            channels = cout;
        }

        long last = d.Stages[d.Stages.Count - 1].Resolution;
        long logits = (last - 3) * (last - 3);
        // The minibatch standard deviation adds one channel to the head's input (named argument, absent when off).
        long headInput = channels + (d.MinibatchStd > 0 ? 1 : 0);
        var logitArguments = d.MinibatchStd > 0 ? DArgs(("channels", channels), ("minibatchStdGroup", d.MinibatchStd)) : DArgs(("channels", channels));
        layers.Add(Layer("logits", "PatchLogits", logitArguments, Shape(logits), headInput * channels + channels + 16 * channels + 1,
            headInput * channels * last * last + 16 * channels * logits));
        if (d.Projection == ProjectionChoice.Projection)
        {
            var arguments = d.ProjectionPooling == PoolingChoice.Sum
                ? DArgs(("attributeWidth", width), ("channels", channels), ("pooling", "global::AttributeGan.Models.Blocks.ProjectionPooling.Sum"))
                : DArgs(("attributeWidth", width), ("channels", channels));
            layers.Add(Layer("projection", "AttributeProjection", arguments, Shape(logits), width * channels, width * channels + channels));
        }
        else if (d.Projection == ProjectionChoice.Gate)
        {
            layers.Add(Layer("gate", "AttributeGate", DArgs(("attributeWidth", width), ("logitCount", logits)), Shape(logits), width * logits, width * logits));
        }

        if (d.Contrastive is { } contrastive)
        {
            long c = channelsAt[contrastive.At], area = (long)contrastive.At * contrastive.At, dim = contrastive.Dim;
            layers.Add(Layer("contrastive", "ContrastiveHead", DArgs(("channels", c), ("resolution", contrastive.At), ("dim", dim)), Shape(dim), c + 1 + area * dim + dim, c * area + area * dim));
            layers.Add(Layer("attribute_embedding", "AttributeEmbedding", DArgs(("attributeWidth", width), ("dim", dim)), Shape(dim), width * dim + dim, width * dim));
        }

        if (d.Reconstruction is { } reconstruction)
        {
            int smallest = reconstruction.At.Min();
            foreach (int at in reconstruction.At.OrderBy(x => x))
            {
                long input = at == smallest ? at : at / 2; // higher maps decode one quadrant
                layers.Add(DecoderLayer(channelsAt[at], input, reconstruction.Size, ic, Reconstruction(at), d.SpectralNorm));
            }
        }

        return new NetworkPlan(layers.ToEquatableArray());
    }

    private static LayerPlan AttentionLayer(AttentionSpec attention, long c, int resolution, bool spectralNorm = false)
    {
        long h = attention.Heads, dk = attention.KeyDimFor((int)c), dv = attention.ValueDimFor((int)c), positions = (long)resolution * resolution;
        long parameters = 2 * c * h * dk + c * h * dv + h * dv * c + c + 1 + (2 * c * c + 2 * c) + (c * c + c);
        long macs = positions * (2 * c * h * dk + c * h * dv + h * dv * c) + 2 * h * dk * dv * positions + positions * (2 * c * c + c * c);
        var arguments = Args(spectralNorm, ("channels", c), ("heads", h), ("keyDim", dk), ("valueDim", dv));
        return Layer(Attention(resolution), "EfficientAttention", arguments, Shape(c, resolution, resolution), parameters, macs);
    }

    private static LayerPlan ExcitationLayer(SkipLinkSpec link, long low, long high)
    {
        long hidden = Math.Max(3, high / 2), lowPositions = (long)link.From * link.From;
        return Layer(Excitation(link), "SkipLayerExcitation", Args(("lowChannels", low), ("highChannels", high)), Shape(high, link.To, link.To),
            low + 1 + low * hidden + hidden + hidden * high + high,
            2 * low * lowPositions + low * hidden + hidden * high);
    }

    private static LayerPlan DecoderLayer(long inChannels, long inResolution, long size, long ic, string field, bool spectralNorm)
    {
        int steps = 0;
        for (long s = inResolution; s < size; s *= 2) steps++;
        long parameters = 0, macs = 0, c = inChannels, resolution = inResolution;
        for (int i = 0; i < steps; i++)
        {
            long next = Math.Max(c / 2, 8);
            resolution *= 2;
            parameters += c * 2 * next * 9 + 2 * 2 * next; // conv without bias, then batch norm
            macs += c * 2 * next * 9 * resolution * resolution;
            c = next;
        }

        parameters += c * ic * 9 + ic;
        macs += c * ic * 9 * size * size;
        const string norm = "global::AttributeGan.Models.Blocks.NormKind.Batch";
        var arguments = Args(spectralNorm, ("inChannels", inChannels), ("inResolution", inResolution), ("outResolution", size), ("imageChannels", ic), ("norm", norm));
        return Layer(field, "ReconstructionDecoder", arguments, Shape(ic, size, size), parameters, macs);
    }

    private static LayerPlan Layer(string field, string block, EquatableArray<string> arguments, EquatableArray<long> shape, long parameters, long macs) =>
        new(field, block, arguments, shape, parameters, macs);

    private static EquatableArray<long> Shape(params long[] dims) => dims.ToEquatableArray();

    /// <summary>
    /// Constructor arguments as named C# arguments (<c>inChannels: 64</c>): a block whose parameter is renamed or removed
    /// fails to compile the generated code instead of silently taking a value meant for another parameter.
    /// </summary>
    private static EquatableArray<string> Args(params (string Name, object Value)[] arguments) =>
        arguments.Select(a => a.Name + ": " + Convert.ToString(a.Value, System.Globalization.CultureInfo.InvariantCulture)).ToEquatableArray();

    /// <summary>Named arguments, with <c>spectralNorm: true</c> appended when it is on (the blocks default it to false).</summary>
    private static EquatableArray<string> Args(bool spectralNorm, params (string Name, object Value)[] arguments) =>
        spectralNorm ? Args(arguments.Append(("spectralNorm", "true")).ToArray()) : Args(arguments);

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Norm(NormChoice norm) => "global::AttributeGan.Models.Blocks.NormKind." + norm;
}
