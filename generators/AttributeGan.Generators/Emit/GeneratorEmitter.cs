using System.Linq;
using AttributeGan.Generators.Model;
using AttributeGan.Generators.Validation;

namespace AttributeGan.Generators.Emit;

/// <summary>Emits <c>&lt;Name&gt;Generator</c>: initial block, up-sampling stages, attention, skip-layer excitation, output.</summary>
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
        string current = "x" + spec.Generator.Initial.Resolution;
        NetworkEmitter.Call(w, plan, "initial", current, "noise, attributes", declare: true);
        foreach (var stage in spec.Generator.Stages)
        {
            string next = "x" + stage.Resolution;
            NetworkEmitter.Call(w, plan, ShapeInference.Stage(stage.Resolution), next, current, declare: true);
            if (spec.Generator.NoiseInjection)
                NetworkEmitter.Call(w, plan, ShapeInference.Noise(stage.Resolution), next, $"{next}, noise", declare: false);
            if (spec.Generator.Attention is { } attention && attention.At.Contains(stage.Resolution))
                NetworkEmitter.Call(w, plan, ShapeInference.Attention(stage.Resolution), next, next, declare: false);
            foreach (var link in spec.Generator.SkipExcitation.Where(l => l.To == stage.Resolution))
                NetworkEmitter.Call(w, plan, ShapeInference.Excitation(link), next, $"x{link.From}, {next}", declare: false);
            current = next;
        }

        NetworkEmitter.Call(w, plan, "to_image", "image", current, declare: true);
        w.Line("return image.MoveToOuterDisposeScope();");
        w.Close();
        w.Line();
        NetworkEmitter.Dispose(w, plan);
        w.Close();
        w.Close();
        return w.ToString();
    }
}
