using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AttributeGan.Analyzers;

/// <summary>The three ScalarLifetime diagnostics and the fixes their messages name (docs/results/scalar-lifetime.md).</summary>
public static class ScalarLifetimeRules
{
    private const string Category = "Reliability";
    private const string Why = "TorchSharp frees a Scalar's native value in its finalizer and passes libtorch only the handle, so a garbage " +
        "collection on another thread can free a Scalar nothing references any more while libtorch reads it (\"Expected false to be true … " +
        "toFloat\", or a wrong number). Scalars must be long-lived (Scalars.One, Scalars.Of(k)) or held for the call (using var s = v.ToScalar();).";

    public static readonly DiagnosticDescriptor TemporaryScalar = new(
        "AGS001",
        "A temporary Scalar",
        "{0} makes a temporary that the garbage collector may free while libtorch reads it; {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A Scalar made by an implicit conversion, a number's ToScalar() or a tensor's ToScalar() (any TorchSharp member returning a new Scalar) " +
            "and neither stored in a field or property, nor held by a using, nor returned. " + Why);

    public static readonly DiagnosticDescriptor MemberMakesScalar = new(
        "AGS002",
        "A TorchSharp member that makes a temporary Scalar inside",
        "'{0}' makes a temporary Scalar inside TorchSharp that the garbage collector may free while libtorch reads it; {1}",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A TorchSharp member whose IL (or a method it calls) makes a Scalar it does not keep: an operator such as a + b " +
            "(add(b, alpha: 1)), a double overload such as nn.functional.leaky_relu(x, 0.2), Tensor.square(), t.ToDouble() (reads a ToScalar() it drops). " + Why);

    public static readonly DiagnosticDescriptor TypeMakesScalar = new(
        "AGS003",
        "A TorchSharp type whose own methods make temporary Scalars",
        "{0} {1}: its {2} makes temporary Scalars that the garbage collector may free while libtorch reads them; use {3}, or suppress with a justification if it only runs where that path is not taken",
        Category, DiagnosticSeverity.Error, isEnabledByDefault: true,
        description: "A TorchSharp type with an override (optimizer step, module forward, distribution members) that makes temporary Scalars; " +
            "TorchSharp calls it through the base class, so no call in this code names it. " + Why);

    /// <summary>The AGS001 advice: a constant becomes a cached Scalar, anything else is held for the call.</summary>
    internal static string HoldAdvice(string valueText, bool constant) => constant
        ? $"use Scalars.Of({valueText}) for a constant, or hold it with 'using var s = value.ToScalar();'"
        : $"hold it for the call with 'using var s = {valueText}.ToScalar();', or use Scalars.Of(...) for a constant";

    /// <summary>
    /// The AGS001 advice for a member returning a new Scalar that is not a number's ToScalar(): hold it; and for
    /// <c>t.ToScalar()</c>, read the number without a Scalar.
    /// </summary>
    internal static string HoldResultAdvice(string callText, string? receiverText, string name) =>
        $"hold it for the call with 'using var s = {callText};'" + (name == "ToScalar" && receiverText is not null
            ? $", or read the number without a Scalar: {receiverText}.to(ScalarType.Float64).item<double>() is what {receiverText}.ToScalar().ToDouble() returns"
            : "");

    private const string Fallback = "call an overload that takes a Scalar and pass Scalars.Of(...) or a using-held Scalar";

    // Bit-identical replacements for what the member does inside (its IL): a + b is add(b, 1), 2 - x is x.negative().add(2), …
    private static readonly Dictionary<string, string> Known = new()
    {
        ["M:TorchSharp.torch.Tensor.op_Addition(TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)"] = "use a.add(b, Scalars.One)",
        ["M:TorchSharp.torch.Tensor.add(TorchSharp.torch.Tensor)"] = "use a.add(b, Scalars.One)",
        ["M:TorchSharp.torch.Tensor.add_(TorchSharp.torch.Tensor)"] = "use a.add_(b, Scalars.One)",
        ["M:TorchSharp.torch.Tensor.add(TorchSharp.Scalar)"] = "use x.add(s, Scalars.One): add(s) passes alpha = 1 as a temporary",
        ["M:TorchSharp.torch.Tensor.add_(TorchSharp.Scalar)"] = "use x.add_(s, Scalars.One): add_(s) passes alpha = 1 as a temporary",
        ["M:TorchSharp.torch.add(TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)"] = "use torch.add(a, b, Scalars.One)",
        ["M:TorchSharp.torch.add(TorchSharp.torch.Tensor,TorchSharp.Scalar)"] = "use torch.add(x, s, Scalars.One)",
        ["M:TorchSharp.torch.Tensor.addcdiv(TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)"] = "use x.addcdiv(t1, t2, Scalars.One)",
        ["M:TorchSharp.torch.Tensor.square"] = "use x.pow(Scalars.Of(2)), which is what square() does",
        ["M:TorchSharp.torch.square(TorchSharp.torch.Tensor)"] = "use x.pow(Scalars.Of(2)), which is what square() does",
        ["M:TorchSharp.torch.nn.functional.leaky_relu(TorchSharp.torch.Tensor,System.Double,System.Boolean)"] =
            "use x.leaky_relu(Scalars.Of(slope)) (leaky_relu_ in place)",
        ["M:TorchSharp.torch.arange(TorchSharp.Scalar,System.Nullable{TorchSharp.torch.ScalarType},TorchSharp.torch.Device,System.Boolean)"] =
            "use torch.arange(Scalars.Zero, stop, Scalars.One, ...): arange(stop) makes start = 0 and step = 1 as temporaries",
        ["M:TorchSharp.torch.arange(TorchSharp.Scalar,TorchSharp.Scalar,System.Nullable{TorchSharp.torch.ScalarType},TorchSharp.torch.Device,System.Boolean)"] =
            "use torch.arange(start, stop, Scalars.One, ...): arange(start, stop) makes step = 1 as a temporary",
    };

    private const string Extension = "M:TorchSharp.TensorExtensionMethods.";
    private const string Explicit = "M:TorchSharp.torch.Tensor.op_Explicit(TorchSharp.torch.Tensor)~System.";

    // A one-element tensor read as a number: t.ToDouble() is t.ToScalar().ToDouble(), the Scalar dropped inside. The same
    // value comes from converting the tensor and reading it with item<T>(), which makes no Scalar (it reads the element
    // through data<T>()). item<T>() alone throws unless the tensor's dtype is T's, while To*() convert from any dtype,
    // so the conversion comes first: to() converts as libtorch's Scalar conversions do (checked on ten dtypes, every
    // value in range; out of range To*() abort the process, to() returns ±inf, a wrapped value or the type's minimum).
    private static readonly Dictionary<string, (string DType, string Type)> Readers = new()
    {
        [Extension + "ToDouble(TorchSharp.torch.Tensor)"] = ("Float64", "double"),
        [Extension + "ToSingle(TorchSharp.torch.Tensor)"] = ("Float32", "float"),
        [Extension + "ToHalf(TorchSharp.torch.Tensor)"] = ("Float16", "Half"),
        [Extension + "ToBFloat16(TorchSharp.torch.Tensor)"] = ("BFloat16", "BFloat16"),
        [Extension + "ToInt64(TorchSharp.torch.Tensor)"] = ("Int64", "long"),
        [Extension + "ToInt32(TorchSharp.torch.Tensor)"] = ("Int32", "int"),
        [Extension + "ToInt16(TorchSharp.torch.Tensor)"] = ("Int16", "short"),
        [Extension + "ToByte(TorchSharp.torch.Tensor)"] = ("Byte", "byte"),
        [Extension + "ToSByte(TorchSharp.torch.Tensor)"] = ("Int8", "sbyte"),
        [Extension + "ToBoolean(TorchSharp.torch.Tensor)"] = ("Bool", "bool"),
        [Extension + "ToComplex32(TorchSharp.torch.Tensor)"] = ("ComplexFloat32", "(float, float)"),
        [Extension + "ToComplexFloat32(TorchSharp.torch.Tensor)"] = ("ComplexFloat32", "(float, float)"),
        [Extension + "ToComplex64(TorchSharp.torch.Tensor)"] = ("ComplexFloat64", "System.Numerics.Complex"),
        [Extension + "ToComplexFloat64(TorchSharp.torch.Tensor)"] = ("ComplexFloat64", "System.Numerics.Complex"),
        // (double)t and the other explicit conversions call the To*() above.
        [Explicit + "Double"] = ("Float64", "double"),
        [Explicit + "Single"] = ("Float32", "float"),
        [Explicit + "Int64"] = ("Int64", "long"),
        [Explicit + "Int32"] = ("Int32", "int"),
        [Explicit + "Int16"] = ("Int16", "short"),
        [Explicit + "Byte"] = ("Byte", "byte"),
        [Explicit + "SByte"] = ("Int8", "sbyte"),
        [Explicit + "Boolean"] = ("Bool", "bool"),
    };

    /// <summary>What to write instead of the member with documentation ID <paramref name="id"/>, called on <paramref name="receiver"/> if known.</summary>
    internal static string Alternative(IMethodSymbol method, string id, string? receiver = null)
    {
        if (Known.TryGetValue(id, out var known)) return known;
        if (Readers.TryGetValue(id, out var reader))
        {
            var t = receiver ?? "t";
            return $"use {t}.to(ScalarType.{reader.DType}).item<{reader.Type}>(), the same value read without a Scalar " +
                $"({t}.item<{reader.Type}>() alone throws unless the tensor is {reader.DType} already)";
        }
        if (id == Extension + "metastr(TorchSharp.torch.Tensor)")
            return $"use {receiver ?? "t"}.ToString(), the same metadata string (metastr() is listed for the overload it calls, whose value styles make Scalars)";
        if (method.ContainingType.Name is "TensorExtensionMethods" or "Tensor" && method.Name is "ToString" or "str" or "print" or "jlstr" or "npstr" or "cstr")
            return "printing a tensor's values reads each through a temporary Scalar: format values read with data<T>() (after to(dtype)), or print the metadata with ToString()";
        if (method.IsOverride && method.ContainingType.GetDocumentationCommentId() is { } typeId) return "use " + Replacement(typeId);
        if (method.MethodKind != MethodKind.UserDefinedOperator || method.Parameters.Length != 2) return Fallback;
        bool tensorFirst = IsTensor(method.Parameters[0].Type), tensorSecond = IsTensor(method.Parameters[1].Type);
        if (tensorFirst == tensorSecond) return Fallback;
        var k = method.Parameters.Any(p => p.Type.Name == "Scalar") ? "s" : "Scalars.Of(k)";
        return method.Name switch
        {
            "op_Addition" => $"use x.add({k}, Scalars.One): add({k}) alone passes alpha = 1 as a temporary",
            "op_Subtraction" when tensorFirst => $"use x.sub({k})",
            "op_Subtraction" => $"use x.negative().add({k}, Scalars.One), which is what k - x does",
            "op_Multiply" => $"use x.mul({k})",
            "op_Division" when tensorFirst => $"use x.div({k})",
            "op_Division" => $"use x.reciprocal().mul({k}), which is what k / x does",
            "op_Modulus" => $"use x.remainder({k})",
            _ => Fallback,
        };
    }

    private static bool IsTensor(ITypeSymbol type) => type is { Name: "Tensor", ContainingType.Name: "torch" };

    /// <summary>AGS003: the type to use instead, where this repository has one.</summary>
    internal static string Replacement(string typeId) => typeId switch
    {
        "T:TorchSharp.Modules.Adam" => "AttributeGan.Runtime.Training.ScalarSafe.Adam",
        _ => "a subclass or replacement that passes long-lived Scalars (as AttributeGan.Runtime.Training.ScalarSafe.Adam does for Adam)",
    };
}
