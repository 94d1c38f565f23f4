using System;
using AttributeGan.Models.Blocks;
using Xunit;

namespace AttributeGan.Models.Tests;

/// <summary>Every block rejects non-positive sizes (and the decoder bad resolutions) with an ArgumentException.</summary>
public sealed class ConstructorValidationTests
{
    public static TheoryData<string, Action> InvalidConstructions() => new()
    {
        { "Blur channels", () => new Blur(0) },
        { "InitialBlock latent", () => new InitialBlock(0, 5, 6, 4, 4, NormKind.None) },
        { "InitialBlock attributeWidth", () => new InitialBlock(8, -1, 6, 4, 4, NormKind.None) },
        { "InitialBlock noiseChannels", () => new InitialBlock(8, 5, 0, 4, 4, NormKind.None) },
        { "InitialBlock attributeChannels", () => new InitialBlock(8, 5, 6, 0, 4, NormKind.None) },
        { "InitialBlock resolution", () => new InitialBlock(8, 5, 6, 4, 0, NormKind.None) },
        { "InitialBlock norm", () => new InitialBlock(8, 5, 6, 4, 4, (NormKind)7) },
        { "UpBlock inChannels", () => new UpBlock(0, 4, true, NormKind.Batch) },
        { "UpBlock outChannels", () => new UpBlock(4, 0, true, NormKind.Batch) },
        { "UpBlock norm", () => new UpBlock(4, 4, true, (NormKind)(-1)) },
        { "EfficientAttention channels", () => new EfficientAttention(0, 2, 3, 4) },
        { "EfficientAttention heads", () => new EfficientAttention(8, 0, 3, 4) },
        { "EfficientAttention keyDim", () => new EfficientAttention(8, 2, 0, 4) },
        { "EfficientAttention valueDim", () => new EfficientAttention(8, 2, 3, 0) },
        { "SkipLayerExcitation lowChannels", () => new SkipLayerExcitation(0, 8) },
        { "SkipLayerExcitation highChannels", () => new SkipLayerExcitation(8, 0) },
        { "OutputConv channels", () => new OutputConv(0, 3, true) },
        { "OutputConv imageChannels", () => new OutputConv(8, 0, true) },
        { "InputConv imageChannels", () => new InputConv(0, 8) },
        { "InputConv channels", () => new InputConv(3, 0) },
        { "DownBlock inChannels", () => new DownBlock(0, 8, true) },
        { "DownBlock outChannels", () => new DownBlock(8, 0, false) },
        { "PatchLogits channels", () => new PatchLogits(0) },
        { "AttributeProjection attributeWidth", () => new AttributeProjection(0, 8) },
        { "AttributeProjection channels", () => new AttributeProjection(5, 0) },
        { "AttributeGate attributeWidth", () => new AttributeGate(0, 25) },
        { "AttributeGate logitCount", () => new AttributeGate(5, 0) },
        { "ContrastiveHead channels", () => new ContrastiveHead(0, 8, 10) },
        { "ContrastiveHead resolution", () => new ContrastiveHead(6, 0, 10) },
        { "ContrastiveHead dim", () => new ContrastiveHead(6, 8, 0) },
        { "AttributeEmbedding attributeWidth", () => new AttributeEmbedding(0, 10) },
        { "AttributeEmbedding dim", () => new AttributeEmbedding(5, 0) },
        { "ReconstructionDecoder inChannels", () => new ReconstructionDecoder(0, 8, 128, 3, NormKind.Batch) },
        { "ReconstructionDecoder imageChannels", () => new ReconstructionDecoder(32, 8, 128, 0, NormKind.Batch) },
        { "ReconstructionDecoder inResolution not a power of two", () => new ReconstructionDecoder(32, 6, 128, 3, NormKind.Batch) },
        { "ReconstructionDecoder outResolution not a power of two", () => new ReconstructionDecoder(32, 8, 96, 3, NormKind.Batch) },
        { "ReconstructionDecoder outResolution equal", () => new ReconstructionDecoder(32, 8, 8, 3, NormKind.Batch) },
        { "ReconstructionDecoder outResolution smaller", () => new ReconstructionDecoder(32, 16, 8, 3, NormKind.Batch) },
        { "ReconstructionDecoder norm", () => new ReconstructionDecoder(32, 8, 16, 3, (NormKind)3) },
        { "ReconstructionDecoder.ChannelPlan inChannels", () => ReconstructionDecoder.ChannelPlan(0, 2) },
        { "ReconstructionDecoder.ChannelPlan steps", () => ReconstructionDecoder.ChannelPlan(32, -1) },
    };

    [Theory]
    [MemberData(nameof(InvalidConstructions))]
    public void InvalidArguments_ThrowArgumentException(string what, Action construct)
    {
        var error = Assert.Throws<ArgumentException>(construct);
        Assert.False(string.IsNullOrWhiteSpace(error.ParamName), $"{what}: the exception should name the argument");
    }

    [Fact]
    public void MessageNamesTheBlockAndTheArgument()
    {
        var error = Assert.Throws<ArgumentException>(() => new EfficientAttention(8, 2, 0, 4));

        Assert.Equal("keyDim", error.ParamName);
        Assert.Contains("EfficientAttention", error.Message);
        Assert.Contains("keyDim must be positive, got 0", error.Message);
    }

    [Fact]
    public void AnUndefinedNormNamesEveryKind()
    {
        var error = Assert.Throws<ArgumentException>(() => new UpBlock(4, 4, true, (NormKind)7));

        Assert.Equal("norm", error.ParamName);
        Assert.Contains("UpBlock: norm must be NormKind.None, NormKind.Batch or NormKind.LocalBatch, got 7", error.Message);
    }
}
