using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AttributeGan.Generators.Helpers;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Emit;

/// <summary>Emits <c>&lt;Name&gt;Spec</c>: typed attributes, settings and every compile-time count of a spec.</summary>
internal static class SpecClassEmitter
{
    /// <summary>Where generated types go unless the project sets the MSBuild property <c>AttributeGanSpecNamespace</c>.</summary>
    public const string DefaultNamespace = "AttributeGan.Models.Specs";
    private const string Models = "global::AttributeGan.Models";

    public static string Emit(CompiledSpec compiled, string ns)
    {
        var spec = compiled.Spec;
        string type = spec.Name + "Spec";
        var w = new SourceWriter();
        EmitHeader.Write(w, spec);
        w.Open("namespace " + ns);
        w.Line($"/// <summary>The compiled spec <c>{spec.Name}</c> from <c>{Xml(spec.FileName)}</c>: every value is fixed at build time.</summary>");
        w.Open($"public sealed partial class {type} : {Models}.IGanSpec");
        w.Line($"public static {type} Instance {{ get; }} = new {type}();");
        w.Line();
        w.Line($"private {type}()");
        w.Line("{");
        w.Line("}");
        w.Line();
        EmitAttributes(w, spec);
        EmitConstants(w, compiled);
        EmitSettings(w, spec);
        EmitLayers(w, "GeneratorLayers", compiled.Generator);
        w.Line();
        EmitLayers(w, "DiscriminatorLayers", compiled.Discriminator);
        w.Line();
        w.Line($"public {Models}.GanGenerator CreateGenerator() => new global::{ns}.{spec.Name}Generator();");
        w.Line();
        w.Line($"public {Models}.GanDiscriminator CreateDiscriminator() => new global::{ns}.{spec.Name}Discriminator();");
        w.Close();
        w.Close();
        return w.ToString();
    }

    private static void EmitAttributes(SourceWriter w, SpecModel spec)
    {
        foreach (var attribute in spec.Attributes)
        {
            w.Line($"/// <summary>Levels of <c>{Xml(attribute.Name)}</c>, lowest first.</summary>");
            w.Open($"public enum {Naming.ToPascalCase(attribute.Name)}");
            for (int i = 0; i < attribute.Levels.Count; i++) w.Line($"{Naming.ToPascalCase(attribute.Levels[i])} = {i},");
            w.Close();
            w.Line();
        }

        var parameters = spec.Attributes.Select(a => $"{Naming.ToPascalCase(a.Name)} {Naming.ToPascalCase(a.Name)}");
        var levels = spec.Attributes.Select(a => $"(int){Naming.ToPascalCase(a.Name)}");
        w.Line("/// <summary>One level per attribute: a discrete combination to condition on. <see cref=\"Encode\"/> gives its one-hot vector;");
        w.Line($"/// <see cref=\"{Models}.AttributeVector.Lerp\"/> mixes two of them for interpolation.</summary>");
        w.Open($"public readonly record struct Combination({string.Join(", ", parameters)})");
        w.Line($"public {Models}.AttributeVector Encode() => Instance.Attributes.Encode(new[] {{ {string.Join(", ", levels)} }});");
        w.Close();
        w.Line();
    }

    private static void EmitConstants(SourceWriter w, CompiledSpec compiled)
    {
        var spec = compiled.Spec;
        w.Line($"public const int ImageResolution = {spec.Image.Resolution};");
        w.Line($"public const int AttributeWidth = {spec.AttributeWidth};");
        w.Line($"public const long GeneratorParameterCount = {compiled.Generator.Parameters}L;");
        w.Line($"public const long DiscriminatorParameterCount = {compiled.Discriminator.Parameters}L;");
        w.Line();
        w.Line($"public string Name => {SourceWriter.Literal(spec.Name)};");
        w.Line($"public string SourceFile => {SourceWriter.Literal(spec.FileName)};");
        w.Line($"public string SpecHash => {SourceWriter.Literal(spec.Hash)};");
        w.Line($"public string CanonicalSpec => {SourceWriter.Literal(spec.CanonicalText)};");
        w.Line("public int Resolution => ImageResolution;");
        w.Line($"public int ImageChannels => {spec.Image.Channels};");
        w.Line($"public int LatentSize => {spec.Latent};");
        w.Line("public long GeneratorParameters => GeneratorParameterCount;");
        w.Line("public long DiscriminatorParameters => DiscriminatorParameterCount;");
        w.Line($"public long GeneratorMacsPerImage => {compiled.Generator.Macs}L;");
        w.Line($"public long DiscriminatorMacsPerImage => {compiled.Discriminator.Macs}L;");
        w.Line();
    }

    private static void EmitSettings(SourceWriter w, SpecModel spec)
    {
        var definitions = spec.Attributes.Select(a =>
            $"new {Models}.AttributeDefinition(Name: {SourceWriter.Literal(a.Name)}, Levels: new[] {{ {string.Join(", ", a.Levels.Select(SourceWriter.Literal))} }})");
        w.Line($"public {Models}.AttributeLayout Attributes {{ get; }} = new {Models}.AttributeLayout(new[]");
        w.Line("{");
        foreach (var definition in definitions) w.Line("    " + definition + ",");
        w.Line("});");
        w.Line();

        var d = spec.Discriminator;
        var logits = d.Stages[d.Stages.Count - 1].Resolution - 3;
        string reconstructionAt = d.Reconstruction is { } r ? $"new[] {{ {string.Join(", ", r.At.OrderBy(x => x))} }}" : "global::System.Array.Empty<int>()";
        w.Line($"public {Models}.DiscriminatorHeadLayout Heads {{ get; }} = new {Models}.DiscriminatorHeadLayout(");
        w.Line($"    LogitCount: {logits * logits},");
        w.Line($"    Projection: {Models}.ProjectionKind.{d.Projection},");
        w.Line($"    ContrastiveResolution: {(d.Contrastive is { } c ? c.At.ToString(CultureInfo.InvariantCulture) : "null")},");
        w.Line($"    ContrastiveDim: {d.Contrastive?.Dim ?? 0},");
        w.Line($"    ContrastiveTemperature: {Number(d.Contrastive?.Temperature ?? 0)},");
        w.Line($"    ReconstructionResolutions: {reconstructionAt},");
        if (d.Classifier is { } classifier)
        {
            w.Line($"    ReconstructionSize: {d.Reconstruction?.Size ?? 0},");
            w.Line($"    ClassifierResolution: {classifier.At});");
        }
        else
        {
            w.Line($"    ReconstructionSize: {d.Reconstruction?.Size ?? 0});");
        }
        w.Line();

        var l = spec.Losses;
        w.Line($"public {Models}.LossSettings Losses {{ get; }} = new {Models}.LossSettings(");
        w.Line($"    Adversarial: {Models}.AdversarialLoss.{l.Adversarial},");
        w.Line($"    Reconstruction: {Number(l.Reconstruction)},");
        w.Line($"    ContrastiveDiscriminator: {Number(l.ContrastiveDiscriminator)},");
        w.Line($"    ContrastiveGenerator: {Number(l.ContrastiveGenerator)},");
        // Optional arguments only when set, so specs without them emit what they always did.
        var lossLines = new List<string> { $"    ContrastiveNegatives: {Models}.ContrastiveNegatives.{l.ContrastiveNegatives}" };
        if (l.GradientPenalty is { } gp)
            lossLines.Add($"    GradientPenalty: new {Models}.GradientPenaltySettings(Kind: {Models}.GradientPenaltyKind.{gp.Kind}, Weight: {Number(gp.Weight)}, Every: {gp.Every})");
        if (l.ClassificationDiscriminator > 0 || l.ClassificationGenerator > 0)
        {
            lossLines.Add($"    ClassificationDiscriminator: {Number(l.ClassificationDiscriminator)}");
            lossLines.Add($"    ClassificationGenerator: {Number(l.ClassificationGenerator)}");
        }
        for (int i = 0; i < lossLines.Count; i++) w.Line(lossLines[i] + (i == lossLines.Count - 1 ? ");" : ","));
        w.Line();

        var t = spec.Training;
        w.Line($"public {Models}.TrainingSettings Training {{ get; }} = new {Models}.TrainingSettings(");
        w.Line($"    Batch: {t.Batch},");
        w.Line($"    Steps: {t.Steps},");
        w.Line($"    LearningRate: {Number(t.LearningRate)},");
        w.Line($"    Beta1: {Number(t.Beta1)},");
        w.Line($"    Beta2: {Number(t.Beta2)},");
        var rampup = t.Ema.Rampup is { } emaRampup ? $", Rampup: {Number(emaRampup)}" : "";
        w.Line($"    Ema: new {Models}.EmaSettings(Decay: {Number(t.Ema.Decay)}, Start: {t.Ema.Start}, Every: {t.Ema.Every}{rampup}),");
        w.Line($"    Seed: {t.Seed},");
        w.Line($"    CheckpointEvery: {t.CheckpointEvery},");
        w.Line($"    CombinationPercentile: {Number(t.CombinationPercentile)},");
        string augmentation = $"    Augmentation: new {Models}.AugmentationSettings(CropProbability: {Number(t.Augmentation.Crop)}, Colour: {(t.Augmentation.Colour ? "true" : "false")}, Translation: {(t.Augmentation.Translation ? "true" : "false")})";
        if (t.DiffAugment is { } da)
        {
            var policy = string.Join(" | ", Helpers.CanonicalSpecWriter.Policies(da.Policy).Select(p => $"{Models}.DiffAugmentPolicy.{Helpers.Naming.ToPascalCase(p)}"));
            w.Line(augmentation + ",");
            w.Line($"    DiffAugment: new {Models}.DiffAugmentSettings(Policy: {policy}, Probability: {Number(da.Probability)}));");
        }
        else
        {
            w.Line(augmentation + ");");
        }
        w.Line();
    }

    private static void EmitLayers(SourceWriter w, string property, NetworkPlan plan)
    {
        w.Line($"public global::System.Collections.Generic.IReadOnlyList<{Models}.LayerShape> {property} {{ get; }} = new[]");
        w.Line("{");
        foreach (var layer in plan.Layers)
            w.Line($"    new {Models}.LayerShape(Name: {SourceWriter.Literal(layer.Field)}, Kind: {SourceWriter.Literal(layer.Block)}, Role: {Models}.LayerRole.{layer.Role}, OutputShape: new long[] {{ {string.Join(", ", layer.Shape)} }}, Parameters: {layer.Parameters}L, MacsPerImage: {layer.Macs}L),");
        w.Line("};");
    }

    /// <summary>A double literal that round-trips and always reads as a double.</summary>
    internal static string Number(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
    }

    internal static string Xml(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
