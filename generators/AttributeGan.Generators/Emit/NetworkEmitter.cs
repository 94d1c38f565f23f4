using System.Linq;
using AttributeGan.Generators.Model;

namespace AttributeGan.Generators.Emit;

/// <summary>What the generator and discriminator classes share: fields, constructor and disposal from a plan.</summary>
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

    /// <summary>Calls a layer, traces its output and notes the shape: <c>var x = field.call(args); // (B, ...)</c>.</summary>
    public static void Call(SourceWriter w, NetworkPlan plan, string field, string target, string arguments, bool declare)
    {
        var layer = plan.Layers.First(l => l.Field == field);
        w.Line($"{(declare ? "var " : "")}{target} = {field}.call({arguments}); // {ShapeComment(layer)}");
        w.Line($"Trace({SourceWriter.Literal(field)}, {target});");
    }

    public static string ShapeComment(LayerPlan layer) => "(B, " + string.Join(", ", layer.Shape) + ")";
}
