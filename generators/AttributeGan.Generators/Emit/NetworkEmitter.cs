using System.Collections.Generic;
using System.Linq;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Emit;

/// <summary>What the generator and discriminator classes share: fields, constructor, forward calls and disposal, all printed from the plan's graph.</summary>
internal static class NetworkEmitter
{
    public const string Blocks = "global::AttributeGan.Models.Blocks";
    public const string Tensor = "global::TorchSharp.torch.Tensor";

    public static void Fields(SourceWriter w, NetworkPlan plan)
    {
        foreach (var layer in plan.Layers) w.Line($"private readonly {Blocks}.{layer.Block} {layer.Field};");
        w.Line();
    }

    public static void Constructor(SourceWriter w, string type, NetworkPlan plan)
    {
        w.Open($"public {type}() : base({SourceWriter.Literal(type)})");
        foreach (var layer in plan.Layers)
            w.Line($"{layer.Field} = new {Blocks}.{layer.Block}({string.Join(", ", layer.Arguments)});");
        w.Line("RegisterComponents();");
        w.Close();
        w.Line();
    }

    public static void Dispose(SourceWriter w, NetworkPlan plan)
    {
        w.Open("protected override void Dispose(bool disposing)");
        w.Open("if (disposing)");
        foreach (var layer in plan.Layers) w.Line($"{layer.Field}.Dispose();");
        w.Close();
        w.Line();
        w.Line("base.Dispose(disposing);");
        w.Close();
    }

    /// <summary>The plan's layers of some roles, in graph order.</summary>
    public static IEnumerable<LayerPlan> WithRole(NetworkPlan plan, params LayerRole[] roles) => plan.Layers.Where(l => roles.Contains(l.Role));

    /// <summary>Calls a layer on its graph inputs, traces its output and notes the shape: <c>var x = field.call(inputs); // (B, ...)</c>.</summary>
    public static void Call(SourceWriter w, LayerPlan layer)
    {
        w.Line($"{(layer.Declares ? "var " : "")}{layer.Output} = {layer.Field}.call({string.Join(", ", layer.Inputs)}); // {ShapeComment(layer)}");
        w.Line($"Trace({SourceWriter.Literal(layer.Field)}, {layer.Output});");
    }

    public static string ShapeComment(LayerPlan layer) => "(B, " + string.Join(", ", layer.Shape) + ")";
}
