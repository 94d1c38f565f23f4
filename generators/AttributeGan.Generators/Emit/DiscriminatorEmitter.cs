using System.Linq;
using AttributeGan.Generators.Model;
using AttributeGan.Generators.Validation;

namespace AttributeGan.Generators.Emit;

/// <summary>Emits <c>&lt;Name&gt;Discriminator</c>: down-sampling stages, attention, patch logits, projection and the auxiliary heads.</summary>
internal static class DiscriminatorEmitter
{
    private const string Models = "global::AttributeGan.Models";

    public static string Emit(CompiledSpec compiled, string ns)
    {
        var spec = compiled.Spec;
        var d = spec.Discriminator;
        var plan = compiled.Discriminator;
        string type = spec.Name + "Discriminator";
        var w = new SourceWriter();
        EmitHeader.Write(w, spec);
        w.Open("namespace " + ns);
        w.Line($"/// <summary>The discriminator of <c>{spec.Name}</c>: (images (B, {spec.Image.Channels}, {spec.Image.Resolution}, {spec.Image.Resolution}), attributes (B, {spec.AttributeWidth})) → patch logits and the requested heads.</summary>");
        w.Open($"public sealed partial class {type} : {Models}.GanDiscriminator");
        NetworkEmitter.Fields(w, plan);
        NetworkEmitter.Constructor(w, type, plan);
        w.Line($"public override {Models}.IGanSpec Spec => global::{ns}.{spec.Name}Spec.Instance;");
        w.Line();
        w.Open($"public override {Models}.DiscriminatorOutput forward({NetworkEmitter.Tensor} images, {NetworkEmitter.Tensor} attributes, {Models}.DiscriminatorHeads heads)");
        w.Line("using var scope = global::TorchSharp.torch.NewDisposeScope();");
        string current = "x" + spec.Image.Resolution;
        NetworkEmitter.Call(w, plan, "from_image", current, "images", declare: true);
        foreach (var stage in d.Stages)
        {
            string next = "x" + stage.Resolution;
            NetworkEmitter.Call(w, plan, ShapeInference.Stage(stage.Resolution), next, current, declare: true);
            if (d.Attention is { } attention && attention.At.Contains(stage.Resolution))
                NetworkEmitter.Call(w, plan, ShapeInference.Attention(stage.Resolution), next, next, declare: false);
            current = next;
        }

        NetworkEmitter.Call(w, plan, "logits", "patchLogits", current, declare: true);
        if (d.Projection == ProjectionChoice.Projection) NetworkEmitter.Call(w, plan, "projection", "patchLogits", $"{current}, attributes, patchLogits", declare: false);
        else if (d.Projection == ProjectionChoice.Gate) NetworkEmitter.Call(w, plan, "gate", "patchLogits", "attributes, patchLogits", declare: false);

        w.Line($"{NetworkEmitter.Tensor}? embedding = null;");
        w.Line($"{NetworkEmitter.Tensor}? attributeEmbedding = null;");
        if (d.Contrastive is { } contrastive)
        {
            w.Open("if (heads.Contrastive)");
            NetworkEmitter.Call(w, plan, "contrastive", "embedding", "x" + contrastive.At, declare: false);
            NetworkEmitter.Call(w, plan, "attribute_embedding", "attributeEmbedding", "attributes", declare: false);
            w.Close();
            w.Line();
        }

        w.Line($"var reconstructions = new global::System.Collections.Generic.List<{NetworkEmitter.Tensor}>();");
        if (d.Reconstruction is { } reconstruction)
        {
            int smallest = reconstruction.At.Min();
            w.Open("if (heads.Reconstruction)");
            foreach (int at in reconstruction.At.OrderBy(x => x))
            {
                string field = ShapeInference.Reconstruction(at);
                string input = at == smallest ? "x" + at : $"Quadrant(x{at}, heads.Quadrant)";
                NetworkEmitter.Call(w, plan, field, "image" + at, input, declare: true);
                w.Line($"reconstructions.Add(image{at}.MoveToOuterDisposeScope());");
            }

            w.Close();
            w.Line();
        }

        w.Line($"return new {Models}.DiscriminatorOutput(patchLogits.MoveToOuterDisposeScope(), embedding?.MoveToOuterDisposeScope(), attributeEmbedding?.MoveToOuterDisposeScope(), reconstructions);");
        w.Close();
        w.Line();
        NetworkEmitter.Dispose(w, plan);
        w.Close();
        w.Close();
        return w.ToString();
    }
}
