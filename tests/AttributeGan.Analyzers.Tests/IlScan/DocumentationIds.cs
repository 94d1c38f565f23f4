using System;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection.Metadata;
using System.Text;
using System.Text.RegularExpressions;

namespace AttributeGan.Analyzers.Tests.IlScan;

/// <summary>
/// Names metadata types and methods the way Roslyn's <c>ISymbol.GetDocumentationCommentId()</c> does, so a list derived
/// from IL can be matched against symbols: nested types joined with '.', generic arity as <c>`n</c> on declarations and
/// <c>{…}</c> on instantiations, type parameters as <c>`i</c> / <c>``i</c>, arrays <c>[]</c>, by-ref <c>@</c>,
/// conversion operators suffixed with <c>~ReturnType</c>. Custom modifiers (<c>in</c>, <c>volatile</c>) are not
/// written, as in Roslyn. <see cref="DocumentationIdFormatTests"/> holds this against Roslyn for every visible member.
/// </summary>
internal sealed class DocumentationIds(MetadataReader reader) : ISignatureTypeProvider<string, object?>
{
    private static readonly Regex Arity = new(@"^(?<name>.*)`(?<arity>\d+)$", RegexOptions.CultureInvariant);

    public string TypeId(TypeDefinitionHandle handle) => "T:" + DeclarationName(handle);

    public string MethodId(MethodDefinitionHandle handle)
    {
        var method = reader.GetMethodDefinition(handle);
        var signature = method.DecodeSignature(this, null);
        var name = reader.GetString(method.Name);
        var id = new StringBuilder("M:").Append(DeclarationName(method.GetDeclaringType())).Append('.');
        // Explicit interface implementations carry dots in their metadata names; Roslyn writes them as '#'.
        id.Append(name switch { ".ctor" => "#ctor", ".cctor" => "#cctor", _ => name.Replace('.', '#') });
        if (signature.GenericParameterCount > 0) id.Append("``").Append(signature.GenericParameterCount);
        if (signature.ParameterTypes.Length > 0) id.Append('(').Append(string.Join(",", signature.ParameterTypes)).Append(')');
        if (name is "op_Implicit" or "op_Explicit") id.Append('~').Append(signature.ReturnType);
        return id.ToString();
    }

    /// <summary>Name and parameter types without the declaring type: what an override shares with the member it overrides.</summary>
    public string OverrideKey(MethodDefinitionHandle handle)
    {
        var method = reader.GetMethodDefinition(handle);
        var signature = method.DecodeSignature(this, null);
        return reader.GetString(method.Name) + "``" + signature.GenericParameterCount + "(" + string.Join(",", signature.ParameterTypes) + ")";
    }

    /// <summary>A type as declared: <c>TorchSharp.torch.nn.Module`2</c>.</summary>
    public string DeclarationName(TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var name = reader.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil) return DeclarationName(declaring) + "." + name;
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle handle, byte rawTypeKind) => DeclarationName(handle);

    public string GetTypeFromReference(MetadataReader r, TypeReferenceHandle handle, byte rawTypeKind)
    {
        var type = r.GetTypeReference(handle);
        var name = r.GetString(type.Name);
        if (type.ResolutionScope.Kind == HandleKind.TypeReference)
            return GetTypeFromReference(r, (TypeReferenceHandle)type.ResolutionScope, rawTypeKind) + "." + name;
        var ns = r.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public string GetTypeFromSpecification(MetadataReader r, object? context, TypeSpecificationHandle handle, byte rawTypeKind) =>
        r.GetTypeSpecification(handle).DecodeSignature(this, context);

    /// <summary><c>Outer`1.Inner`1</c> with arguments (A, B) is <c>Outer{A}.Inner{B}</c>: each level takes its own arity.</summary>
    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
    {
        var next = 0;
        var parts = genericType.Split('.').Select(part =>
        {
            var match = Arity.Match(part);
            if (!match.Success) return part;
            var arity = int.Parse(match.Groups["arity"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var own = typeArguments.Skip(next).Take(arity);
            next += arity;
            return match.Groups["name"].Value + "{" + string.Join(",", own) + "}";
        }).ToList();
        if (next != typeArguments.Length) throw new InvalidOperationException($"{genericType} does not take {typeArguments.Length} type arguments");
        return string.Join(".", parts);
    }

    // The enum's names are the System type names (Int32, IntPtr, TypedReference, …).
    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => "System." + typeCode;

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape) =>
        elementType + "[" + string.Join(",", Enumerable.Repeat("0:", shape.Rank)) + "]";

    public string GetByReferenceType(string elementType) => elementType + "@";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetGenericTypeParameter(object? context, int index) => "`" + index;

    public string GetGenericMethodParameter(object? context, int index) => "``" + index;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

    public string GetPinnedType(string elementType) => elementType;

    public string GetFunctionPointerType(MethodSignature<string> signature) =>
        "=FUNC:" + signature.ReturnType + "(" + string.Join(",", signature.ParameterTypes) + ")";
}
