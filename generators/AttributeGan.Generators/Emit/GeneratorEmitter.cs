using System.Linq;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Emit;

/// <summary>Emits <c>&lt;Name&gt;Generator</c>: every layer of the plan's graph in order; the last one's output is the image.</summary>
internal static class GeneratorEmitter
{
    public static string Emit(CompiledSpec compiled, string ns)
    {
        var spec = compiled.Spec;
        var plan = compiled.Generator;
        string type = spec.Name + "Generator";
        var w = new SourceWriter();
        EmitHeader.Write(w, spec);
        w.Open("namespace " + ns);
        w.Line($"/// <summary>The generator of <c>{spec.Name}</c>: (noise (B, {spec.Latent}), attributes (B, {spec.AttributeWidth})) → images (B, {spec.Image.Channels}, {spec.Image.Resolution}, {spec.Image.Resolution}).</summary>");
        w.Open($"public sealed partial class {type} : global::AttributeGan.Models.GanGenerator");
        NetworkEmitter.Fields(w, plan);
        NetworkEmitter.Constructor(w, type, plan);
        w.Line($"public override global::AttributeGan.Models.IGanSpec Spec => global::{ns}.{spec.Name}Spec.Instance;");
        w.Line();
        w.Open($"public override {NetworkEmitter.Tensor} forward({NetworkEmitter.Tensor} noise, {NetworkEmitter.Tensor} attributes)");
        w.Line("using var scope = global::TorchSharp.torch.NewDisposeScope();");
        foreach (var layer in plan.Layers) NetworkEmitter.Call(w, layer);
        w.Line($"return {plan.Layers.Last().Output}.MoveToOuterDisposeScope();");
        w.Close();
        w.Line();
        NetworkEmitter.Dispose(w, plan);
        w.Close();
        w.Close();
        return w.ToString();
    }
}
