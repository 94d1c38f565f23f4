using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Planning;

/// <summary>
/// Every block kind the spec language can build, declared once: its <see cref="BlockKind"/> (type, constructor
/// parameters, forward inputs, role) beside the method that plans a node of it with its output shape, parameter count
/// and multiply-accumulates per image. The formulas mirror models/Blocks; tests hold the generated constants against
/// the real TorchSharp modules. All arithmetic is checked (the project compiles with overflow checks): an overflow
/// becomes a diagnostic. Adding a block kind is one entry here plus the block's class (docs/architecture.md).
/// </summary>
internal static class BlockCatalog
{
    private const string Blocks = "global::AttributeGan.Models.Blocks";

    public static readonly BlockKind InitialBlock = new("InitialBlock", LayerRole.Trunk,
        ["latent", "attributeWidth", "noiseChannels", "attributeChannels", "resolution", "norm"], ["noise", "attributes"]);

    public static readonly BlockKind UpBlock = new("UpBlock", LayerRole.Trunk, ["inChannels", "outChannels", "blur", "norm", "spectralNorm"], ["x"]);

    public static readonly BlockKind NoiseInjection = new("NoiseInjection", LayerRole.Trunk, ["channels"], ["x", "latent"]);

    public static readonly BlockKind EfficientAttention = new("EfficientAttention", LayerRole.Trunk, ["channels", "heads", "keyDim", "valueDim", "spectralNorm"], ["input"]);

    public static readonly BlockKind DotProductAttention = new("DotProductAttention", LayerRole.Trunk,
        ["channels", "heads", "keyDim", "valueDim", "spectralNorm", "fused"], ["x"]);

    public static readonly BlockKind SkipLayerExcitation = new("SkipLayerExcitation", LayerRole.Trunk, ["lowChannels", "highChannels", "spectralNorm"], ["low", "high"]);

    public static readonly BlockKind OutputConv = new("OutputConv", LayerRole.Trunk, ["channels", "imageChannels", "tanh", "spectralNorm", "preNorm"], ["x"]);

    public static readonly BlockKind LinearInitial = new("LinearInitial", LayerRole.Trunk, ["latent", "channels", "resolution", "spectralNorm"], ["noise"]);

    public static readonly BlockKind ResidualUpBlock = new("ResidualUpBlock", LayerRole.Trunk,
        ["inChannels", "outChannels", "attributeWidth", "norm", "spectralNorm"], ["x", "attributes"]);

    public static readonly BlockKind ResidualDownBlock = new("ResidualDownBlock", LayerRole.Trunk, ["inChannels", "outChannels", "spectralNorm"], ["x"]);

    public static readonly BlockKind ReluActivation = new("ReluActivation", LayerRole.Trunk, [], ["x"]);

    public static readonly BlockKind PooledLogits = new("PooledLogits", LayerRole.Trunk, ["channels", "spectralNorm"], ["features"]);

    public static readonly BlockKind InputConv = new("InputConv", LayerRole.Trunk, ["imageChannels", "channels", "spectralNorm"], ["x"]);

    public static readonly BlockKind DownBlock = new("DownBlock", LayerRole.Trunk, ["inChannels", "outChannels", "blur", "spectralNorm"], ["x"]);

    public static readonly BlockKind PatchLogits = new("PatchLogits", LayerRole.Trunk, ["channels", "spectralNorm", "minibatchStdGroup"], ["x"]);

    public static readonly BlockKind AttributeProjection = new("AttributeProjection", LayerRole.Conditioning,
        ["attributeWidth", "channels", "spectralNorm", "pooling"], ["features", "attributes", "logits"]);

    public static readonly BlockKind AttributeGate = new("AttributeGate", LayerRole.Conditioning, ["attributeWidth", "logitCount", "spectralNorm"], ["attributes", "logits"]);

    public static readonly BlockKind ContrastiveHead = new("ContrastiveHead", LayerRole.Contrastive, ["channels", "resolution", "dim", "spectralNorm"], ["x"]);

    public static readonly BlockKind AttributeEmbedding = new("AttributeEmbedding", LayerRole.Contrastive, ["attributeWidth", "dim", "spectralNorm"], ["attributes"]);

    public static readonly BlockKind ReconstructionDecoder = new("ReconstructionDecoder", LayerRole.Reconstruction,
        ["inChannels", "inResolution", "outResolution", "imageChannels", "norm", "spectralNorm"], ["x"]);

    public static readonly BlockKind AttributeClassifierHead = new("AttributeClassifierHead", LayerRole.Classifier, ["channels", "attributeWidth", "spectralNorm"], ["features"]);

    public static IReadOnlyList<BlockKind> All { get; } =
    [
        InitialBlock, UpBlock, NoiseInjection, EfficientAttention, DotProductAttention, SkipLayerExcitation, OutputConv,
        InputConv, DownBlock, PatchLogits, AttributeProjection, AttributeGate, ContrastiveHead, AttributeEmbedding, ReconstructionDecoder,
        LinearInitial, ResidualUpBlock, ResidualDownBlock, ReluActivation, PooledLogits, AttributeClassifierHead,
    ];

    /// <summary>Noise and attributes → (n + a, r0, r0): two linear maps to 2× channels, a GLU each.</summary>
    public static LayerPlan Initial(string field, Wire wire, long latent, long width, long n, long a, long r0, NormChoice norm) =>
        InitialBlock.Layer(field, wire, [("latent", latent), ("attributeWidth", width), ("noiseChannels", n), ("attributeChannels", a), ("resolution", r0), ("norm", Norm(norm))],
            [n + a, r0, r0],
            latent * 2 * n * r0 * r0 + width * 2 * a * r0 * r0 + NormParameters(norm, 2 * n) + NormParameters(norm, 2 * a),
            latent * 2 * n * r0 * r0 + width * 2 * a * r0 * r0);

    /// <summary>Noise → (C, r0, r0) by one linear map (BigGAN's first layer).</summary>
    public static LayerPlan Linear(string field, Wire wire, long latent, long channels, long r0, bool spectralNorm) =>
        LinearInitial.Layer(field, wire, SpectralNorm(spectralNorm, ("latent", latent), ("channels", channels), ("resolution", r0)), [channels, r0, r0],
            latent * channels * r0 * r0 + channels * r0 * r0, latent * channels * r0 * r0);

    /// <summary>
    /// BigGAN's up block: conditional norm, ReLU, nearest ×2, 3×3 conv, conditional norm, ReLU, 3×3 conv; shortcut 1×1 conv
    /// (before the up-sampling, which it commutes with). Each conditional norm: gain and bias maps A → C, and the batch
    /// norm's affine pair unless the norm is none; the first conv has a bias only without a norm (one after it cancels it).
    /// </summary>
    public static LayerPlan ResidualUp(string field, Wire wire, long cin, long cout, long width, long resolution, NormChoice norm, bool spectralNorm)
    {
        long area = resolution * resolution, inArea = area / 4;
        long conditional(long c) => 2 * width * c + (norm == NormChoice.None ? 0 : 2 * c);
        return ResidualUpBlock.Layer(field, wire, SpectralNorm(spectralNorm, ("inChannels", cin), ("outChannels", cout), ("attributeWidth", width), ("norm", Norm(norm))),
            [cout, resolution, resolution],
            conditional(cin) + cin * cout * 9 + (norm == NormChoice.None ? cout : 0) + conditional(cout) + cout * cout * 9 + cout + cin * cout + cout,
            cin * cout * 9 * area + cout * cout * 9 * area + cin * cout * inArea + 2 * width * (cin + cout));
    }

    /// <summary>BigGAN's pre-activation down block: ReLU, 3×3 conv, ReLU, 3×3 conv, average pool; shortcut 1×1 conv, average pool.</summary>
    public static LayerPlan ResidualDown(string field, Wire wire, long cin, long cout, long resolution, bool spectralNorm)
    {
        long inArea = 4 * resolution * resolution;
        return ResidualDownBlock.Layer(field, wire, SpectralNorm(spectralNorm, ("inChannels", cin), ("outChannels", cout)), [cout, resolution, resolution],
            cin * cout * 9 + cout + cout * cout * 9 + cout + cin * cout + cout,
            (cin * cout * 9 + cout * cout * 9 + cin * cout) * inArea);
    }

    /// <summary>ReLU; no parameters.</summary>
    public static LayerPlan Relu(string field, Wire wire, long channels, long resolution) =>
        ReluActivation.Layer(field, wire, [], [channels, resolution, resolution], 0, 0);

    /// <summary>Sum over positions, then a linear map to one logit per image.</summary>
    public static LayerPlan Pooled(string field, Wire wire, long channels, bool spectralNorm) =>
        PooledLogits.Layer(field, wire, SpectralNorm(spectralNorm, ("channels", channels)), [1], channels + 1, channels);

    /// <summary>Upsample ×2, optional 3×3 blur, 3×3 conv to 2× channels, norm, GLU.</summary>
    public static LayerPlan Up(string field, Wire wire, long cin, long cout, long resolution, bool blur, NormChoice norm)
    {
        long area = resolution * resolution;
        return UpBlock.Layer(field, wire, [("inChannels", cin), ("outChannels", cout), ("blur", Bool(blur)), ("norm", Norm(norm))], [cout, resolution, resolution],
            cin * 2 * cout * 9 + NormParameters(norm, 2 * cout),
            cin * 2 * cout * 9 * area + (blur ? 9 * cin * area : 0));
    }

    /// <summary>One learned strength per channel times a per-pixel noise map drawn from the latent.</summary>
    public static LayerPlan Noise(string field, Wire wire, long channels, long resolution) =>
        NoiseInjection.Layer(field, wire, [("channels", channels)], [channels, resolution, resolution], channels, channels * resolution * resolution);

    /// <summary>
    /// Self-attention with a residual scale and a 1×1 GLU feed-forward; keeps the shape. Both kinds share the
    /// projections (and so the parameter count); efficient attention forms a d_k × d_v context per head (cost ∝ N),
    /// dot-product attention an N × N score map per head (cost ∝ N²).
    /// </summary>
    public static LayerPlan Attention(string field, Wire wire, AttentionSpec attention, long c, long resolution, bool spectralNorm)
    {
        long h = attention.Heads, dk = attention.KeyDimFor((int)c), dv = attention.ValueDimFor((int)c), positions = resolution * resolution;
        long parameters = 2 * c * h * dk + c * h * dv + h * dv * c + c + 1 + (2 * c * c + 2 * c) + (c * c + c);
        long projections = positions * (2 * c * h * dk + c * h * dv + h * dv * c), feedForward = positions * (2 * c * c + c * c);
        var arguments = SpectralNorm(spectralNorm, ("channels", c), ("heads", h), ("keyDim", dk), ("valueDim", dv));
        var shape = new[] { c, resolution, resolution };
        return attention.Kind == AttentionKindChoice.DotProduct
            ? DotProductAttention.Layer(field, wire, arguments, shape, parameters, projections + h * positions * positions * (dk + dv) + feedForward)
            : EfficientAttention.Layer(field, wire, arguments, shape, parameters, projections + 2 * h * dk * dv * positions + feedForward);
    }

    /// <summary>Channel gates for a high-resolution map from a low-resolution one (pool, conv, conv, sigmoid).</summary>
    public static LayerPlan Excitation(string field, Wire wire, long low, long high, long lowResolution, long highResolution, bool spectralNorm)
    {
        long hidden = Math.Max(3, high / 2), lowPositions = lowResolution * lowResolution;
        return SkipLayerExcitation.Layer(field, wire, SpectralNorm(spectralNorm, ("lowChannels", low), ("highChannels", high)), [high, highResolution, highResolution],
            low + 1 + low * hidden + hidden + hidden * high + high,
            2 * low * lowPositions + low * hidden + hidden * high);
    }

    /// <summary>3×3 conv to the image channels, optional tanh; with a pre-norm (after residual blocks) a batch norm and ReLU first.</summary>
    public static LayerPlan Output(string field, Wire wire, long channels, long imageChannels, long resolution, bool tanh, bool spectralNorm, NormChoice preNorm)
    {
        var arguments = SpectralNorm(spectralNorm, ("channels", channels), ("imageChannels", imageChannels), ("tanh", Bool(tanh)));
        if (preNorm != NormChoice.None) arguments = arguments.Append(("preNorm", Norm(preNorm))).ToArray();
        return OutputConv.Layer(field, wire, arguments, [imageChannels, resolution, resolution],
            channels * imageChannels * 9 + imageChannels + (preNorm == NormChoice.None ? 0 : 2 * channels), channels * imageChannels * 9 * resolution * resolution);
    }

    /// <summary>3×3 conv from the image channels.</summary>
    public static LayerPlan Input(string field, Wire wire, long imageChannels, long channels, long resolution, bool spectralNorm) =>
        InputConv.Layer(field, wire, SpectralNorm(spectralNorm, ("imageChannels", imageChannels), ("channels", channels)), [channels, resolution, resolution],
            imageChannels * channels * 9 + channels, imageChannels * channels * 9 * resolution * resolution);

    /// <summary>Residual down block: optional blur, 4×4 stride-2 conv, 3×3 conv; shortcut 1×1 conv after pooling.</summary>
    public static LayerPlan Down(string field, Wire wire, long cin, long cout, long resolution, bool blur, bool spectralNorm)
    {
        long area = resolution * resolution;
        return DownBlock.Layer(field, wire, SpectralNorm(spectralNorm, ("inChannels", cin), ("outChannels", cout), ("blur", Bool(blur))), [cout, resolution, resolution],
            cin * cout * 16 + cout + cout * cout * 9 + cout + cin * cout + cout,
            (blur ? 9 * cin * 4 * area : 0) + cin * cout * 16 * area + cout * cout * 9 * area + cin * cout * area);
    }

    /// <summary>
    /// 1×1 conv then a 4×4 valid conv to one logit per patch: (last − 3)² logits. The minibatch standard deviation adds
    /// one channel to the head's input (a named argument, absent when off).
    /// </summary>
    public static LayerPlan Logits(string field, Wire wire, long channels, long lastResolution, int minibatchStd, bool spectralNorm)
    {
        long logits = (lastResolution - 3) * (lastResolution - 3), headInput = channels + (minibatchStd > 0 ? 1 : 0);
        var arguments = minibatchStd > 0
            ? SpectralNorm(spectralNorm, ("channels", channels), ("minibatchStdGroup", minibatchStd))
            : SpectralNorm(spectralNorm, ("channels", channels));
        return PatchLogits.Layer(field, wire, arguments, [logits], headInput * channels + channels + 16 * channels + 1,
            headInput * channels * lastResolution * lastResolution + 16 * channels * logits);
    }

    /// <summary>Adds ⟨embed(y), pool(features)⟩ to every patch logit; pooling is mean unless the spec asks for sum.</summary>
    public static LayerPlan Projection(string field, Wire wire, long width, long channels, long logitCount, PoolingChoice pooling, bool spectralNorm)
    {
        var arguments = pooling == PoolingChoice.Sum
            ? SpectralNorm(spectralNorm, ("attributeWidth", width), ("channels", channels), ("pooling", Blocks + ".ProjectionPooling.Sum"))
            : SpectralNorm(spectralNorm, ("attributeWidth", width), ("channels", channels));
        return AttributeProjection.Layer(field, wire, arguments, [logitCount], width * channels, width * channels + channels);
    }

    /// <summary>Scales every patch logit by a per-label gate.</summary>
    public static LayerPlan Gate(string field, Wire wire, long width, long logitCount, bool spectralNorm) =>
        AttributeGate.Layer(field, wire, SpectralNorm(spectralNorm, ("attributeWidth", width), ("logitCount", logitCount)), [logitCount], width * logitCount, width * logitCount);

    /// <summary>Image embedding for the contrastive loss: channel reduction, then a linear map of the flattened map.</summary>
    public static LayerPlan Contrastive(string field, Wire wire, long channels, long resolution, long dim, bool spectralNorm)
    {
        long area = resolution * resolution;
        return ContrastiveHead.Layer(field, wire, SpectralNorm(spectralNorm, ("channels", channels), ("resolution", resolution), ("dim", dim)), [dim],
            channels + 1 + area * dim + dim, channels * area + area * dim);
    }

    /// <summary>The attribute vector's anchor in the contrastive embedding space.</summary>
    public static LayerPlan Embedding(string field, Wire wire, long width, long dim, bool spectralNorm) =>
        AttributeEmbedding.Layer(field, wire, SpectralNorm(spectralNorm, ("attributeWidth", width), ("dim", dim)), [dim], width * dim + dim, width * dim);

    /// <summary>The auxiliary attribute classifier: the map averaged over positions, then a linear map to every attribute level's logit.</summary>
    public static LayerPlan Classifier(string field, Wire wire, long channels, long width, bool spectralNorm) =>
        AttributeClassifierHead.Layer(field, wire, SpectralNorm(spectralNorm, ("channels", channels), ("attributeWidth", width)), [width],
            channels * width + width, channels * width);

    /// <summary>Decoder from a feature map to a small image: upsample, conv (no bias), batch norm, GLU per doubling, then a conv.</summary>
    public static LayerPlan Decoder(string field, Wire wire, long inChannels, long inResolution, long size, long imageChannels, bool spectralNorm)
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

        parameters += c * imageChannels * 9 + imageChannels;
        macs += c * imageChannels * 9 * size * size;
        var arguments = SpectralNorm(spectralNorm, ("inChannels", inChannels), ("inResolution", inResolution), ("outResolution", size), ("imageChannels", imageChannels),
            ("norm", Norm(NormChoice.Batch)));
        return ReconstructionDecoder.Layer(field, wire, arguments, [imageChannels, size, size], parameters, macs);
    }

    /// <summary>Named arguments with <c>spectralNorm: true</c> appended when it is on (the blocks default it to false, so specs without it emit what they always did).</summary>
    private static (string Name, object Value)[] SpectralNorm(bool on, params (string Name, object Value)[] arguments) =>
        on ? arguments.Append(("spectralNorm", Bool(true))).ToArray() : arguments;

    /// <summary>The conv bias without a norm, the batch norm's affine pair with one.</summary>
    private static long NormParameters(NormChoice norm, long channels) => norm == NormChoice.None ? channels : 2 * channels;

    private static string Bool(bool value) => value ? "true" : "false";

    private static string Norm(NormChoice norm) => Blocks + ".NormKind." + norm;
}
