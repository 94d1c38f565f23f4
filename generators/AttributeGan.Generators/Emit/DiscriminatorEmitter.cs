using System.Linq;
using AttributeGan.Generators.Model;
using AttributeGan.Generators.Planning;

namespace AttributeGan.Generators.Emit;

/// <summary>
/// Emits <c>&lt;Name&gt;Discriminator</c> from the plan's graph: the trunk and conditioning layers on every pass, the
/// contrastive, classifier and reconstruction layers under the head flags that ask for them, each decoder's image collected in order.
/// </summary>
internal static class DiscriminatorEmitter
{
    private const string Models = "global::AttributeGan.Models";

    public static string Emit(CompiledSpec compiled, string ns)
    {
        var spec = compiled.Spec;
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
        foreach (var layer in NetworkEmitter.WithRole(plan, LayerRole.Trunk, LayerRole.Conditioning)) NetworkEmitter.Call(w, layer);

        w.Line($"{NetworkEmitter.Tensor}? {NetworkPlanner.Embedding} = null;");
        w.Line($"{NetworkEmitter.Tensor}? {NetworkPlanner.AttributeEmbedding} = null;");
        var contrastive = NetworkEmitter.WithRole(plan, LayerRole.Contrastive).ToList();
        if (contrastive.Count > 0)
        {
            w.Open("if (heads.Contrastive)");
            foreach (var layer in contrastive) NetworkEmitter.Call(w, layer);
            w.Close();
            w.Line();
        }

        // Only a discriminator with a classifier declares and returns its logits: the others' code stays as it was.
        var classifier = NetworkEmitter.WithRole(plan, LayerRole.Classifier).ToList();
        string classified = "";
        if (classifier.Count > 0)
        {
            w.Line($"{NetworkEmitter.Tensor}? {NetworkPlanner.AttributeLogits} = null;");
            w.Open("if (heads.Classifier)");
            foreach (var layer in classifier) NetworkEmitter.Call(w, layer);
            w.Close();
            w.Line();
            classified = $", {NetworkPlanner.AttributeLogits}?.MoveToOuterDisposeScope()";
        }

        w.Line($"var reconstructions = new global::System.Collections.Generic.List<{NetworkEmitter.Tensor}>();");
        var decoders = NetworkEmitter.WithRole(plan, LayerRole.Reconstruction).ToList();
        if (decoders.Count > 0)
        {
            w.Open("if (heads.Reconstruction)");
            foreach (var layer in decoders)
            {
                NetworkEmitter.Call(w, layer);
                w.Line($"reconstructions.Add({layer.Output}.MoveToOuterDisposeScope());");
            }

            w.Close();
            w.Line();
        }

        w.Line($"return new {Models}.DiscriminatorOutput({NetworkPlanner.PatchLogits}.MoveToOuterDisposeScope(), {NetworkPlanner.Embedding}?.MoveToOuterDisposeScope(), {NetworkPlanner.AttributeEmbedding}?.MoveToOuterDisposeScope(), reconstructions{classified});");
        w.Close();
        w.Line();
        NetworkEmitter.Dispose(w, plan);
        w.Close();
        w.Close();
        return w.ToString();
    }
}
