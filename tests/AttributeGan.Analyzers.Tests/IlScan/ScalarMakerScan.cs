using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace AttributeGan.Analyzers.Tests.IlScan;

/// <summary>
/// Derives the analyzer's three lists from TorchSharp's IL, without loading the assembly.
/// </summary>
/// <remarks>
/// <para>
/// Every Scalar starts at <c>newobj Scalar::.ctor</c>. A method that constructs one, or calls a method that hands it one,
/// either returns it (a <em>source</em>: <c>ScalarExtensionMethods.To*Scalar</c>, <c>Scalar.op_Implicit</c>,
/// <c>Tensor.ToScalar()</c>; the caller must hold what it gets) or uses it and drops it (a <em>maker</em>: its Scalar
/// dies inside, as in <c>TensorExtensionMethods.ToDouble(Tensor)</c>, which reads <c>ToScalar()</c>'s Scalar). A
/// method returns what it gets if it is declared to return <c>Scalar</c>, a type parameter or <c>object</c>: the
/// TorchScript results and <c>Tensor.tolist()</c> hand Scalars back boxed or in arrays and tuples (their IL was read:
/// each returns every Scalar it makes; <see cref="Sources"/> is pinned by a test, so a new one is reviewed). Any other
/// caller of a source, and every caller of a maker, is a maker.
/// </para>
/// <para>
/// Compiler-generated methods (lambdas, closures, local functions, iterator and async state machines) are reached from
/// the method that wrote them (ldftn, call, the state-machine attribute), so their Scalars count for it. Calls are
/// followed to the method the IL names: a virtual call is not followed into overrides, which is why overrides get a
/// list of their own (the types that declare or inherit them).
/// </para>
/// </remarks>
internal sealed class ScalarMakerScan
{
    private readonly PEReader pe;
    private readonly MetadataReader reader;
    private readonly DocumentationIds ids;
    private readonly Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>> callers = new();
    private readonly HashSet<MethodDefinitionHandle> makers = new();
    private readonly HashSet<MethodDefinitionHandle> sources = new();
    private readonly HashSet<MethodDefinitionHandle> constructors = new();

    /// <summary>AGS002: visible members that make a Scalar and drop it, as sorted documentation-comment IDs.</summary>
    public IReadOnlyList<string> Members { get; }

    /// <summary>AGS001: visible members declared to return a Scalar they make (the caller must hold it), sorted.</summary>
    public IReadOnlyList<string> ScalarReturning { get; }

    /// <summary>Every method, visible or not, that returns the Scalars it gets (for review and tests), sorted.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>AGS003: visible creatable types with an override (declared or inherited) that makes a Scalar, sorted.</summary>
    public IReadOnlyList<string> Types { get; }

    /// <summary>For each AGS003 type, the overrides that make Scalars (for reports and tests).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> OverridesByType { get; }

    /// <summary>The informational version the assembly was built as (for the generated file's header).</summary>
    public string Version { get; }

    private ScalarMakerScan(PEReader pe)
    {
        this.pe = pe;
        reader = pe.GetMetadataReader();
        ids = new DocumentationIds(reader);
        Version = reader.GetAssemblyDefinition().Version.ToString();
        BuildCallGraph();
        Propagate();
        Members = Sorted(makers.Where(m => IsVisible(reader.GetMethodDefinition(m))));
        ScalarReturning = Sorted(sources.Where(m => IsVisible(reader.GetMethodDefinition(m)) && ReturnType(m) == ScalarType));
        Sources = Sorted(sources);
        var overrides = TypesWithMakingOverrides();
        OverridesByType = overrides;
        Types = overrides.Keys.OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    private List<string> Sorted(IEnumerable<MethodDefinitionHandle> methods) =>
        methods.Select(ids.MethodId).Distinct().OrderBy(s => s, StringComparer.Ordinal).ToList();

    public static ScalarMakerScan Of(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream, PEStreamOptions.PrefetchEntireImage);
        return new ScalarMakerScan(pe);
    }

    private void BuildCallGraph()
    {
        var typesByReflectionName = reader.TypeDefinitions.ToDictionary(ReflectionName);
        foreach (var caller in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(caller);
            if (IsScalarConstructor(method)) constructors.Add(caller);
            foreach (var token in IlCalls.Callees(pe, method))
                if (Resolve(token) is { } callee) AddEdge(caller, callee);
            // An iterator or async method's body is its state machine's MoveNext, named only by this attribute.
            foreach (var machine in StateMachineTypes(method))
                if (typesByReflectionName.TryGetValue(machine, out var type))
                    foreach (var moveNext in reader.GetTypeDefinition(type).GetMethods()) AddEdge(caller, moveNext);
        }
    }

    private void AddEdge(MethodDefinitionHandle caller, MethodDefinitionHandle callee)
    {
        if (!callers.TryGetValue(callee, out var list)) callers[callee] = list = new List<MethodDefinitionHandle>();
        list.Add(caller);
    }

    /// <summary>
    /// From the constructors up: a caller of a source is a source if it returns what it gets, else a maker; a caller of
    /// a maker is a maker. A method can be both (it returns one Scalar and drops another): the maker side is listed.
    /// </summary>
    private void Propagate()
    {
        var pendingSources = new Queue<MethodDefinitionHandle>(constructors);
        var pendingMakers = new Queue<MethodDefinitionHandle>();
        while (pendingSources.Count > 0 || pendingMakers.Count > 0)
        {
            var isSource = pendingSources.Count > 0;
            var callee = isSource ? pendingSources.Dequeue() : pendingMakers.Dequeue();
            if (!callers.TryGetValue(callee, out var list)) continue;
            foreach (var caller in list)
            {
                if (isSource && ReturnsWhatItGets(caller))
                {
                    if (sources.Add(caller)) pendingSources.Enqueue(caller);
                }
                else if (makers.Add(caller)) pendingMakers.Enqueue(caller);
            }
        }
    }

    private const string ScalarType = "TorchSharp.Scalar";

    /// <summary>Scalar's own constructors: every Scalar is made by one (<c>newobj</c>; Scalar is sealed).</summary>
    private bool IsScalarConstructor(MethodDefinition method) =>
        ids.DeclarationName(method.GetDeclaringType()) == ScalarType && reader.GetString(method.Name) == ".ctor";

    /// <summary>
    /// Declared to return a Scalar, object (Scalars boxed, or in the arrays and tuples TorchScript returns) or a type
    /// parameter (<c>invoke&lt;T&gt;</c>: the caller's T may be Scalar).
    /// </summary>
    private bool ReturnsWhatItGets(MethodDefinitionHandle method) =>
        ReturnType(method) is ScalarType or "System.Object" || ReturnType(method).TrimStart('`').All(char.IsDigit);

    private string ReturnType(MethodDefinitionHandle method) => reader.GetMethodDefinition(method).DecodeSignature(ids, null).ReturnType;

    /// <summary>The method definition in this assembly a call token names; null for methods of other assemblies.</summary>
    private MethodDefinitionHandle? Resolve(EntityHandle token)
    {
        switch (token.Kind)
        {
            case HandleKind.MethodDefinition:
                return (MethodDefinitionHandle)token;
            case HandleKind.MethodSpecification:
                return Resolve(reader.GetMethodSpecification((MethodSpecificationHandle)token).Method);
            case HandleKind.MemberReference:
                var reference = reader.GetMemberReference((MemberReferenceHandle)token);
                if (reference.GetKind() != MemberReferenceKind.Method) return null;
                if (reference.Parent.Kind == HandleKind.MethodDefinition) return (MethodDefinitionHandle)reference.Parent;   // vararg call site
                // A method of a generic type instantiated here (List<Tensor> is not ours; Module<Tensor, Tensor> is).
                if (DefinitionOf(reference.Parent) is not { } type) return null;
                var name = reader.GetString(reference.Name);
                var signature = reference.DecodeMethodSignature(ids, null);
                var matches = reader.GetTypeDefinition(type).GetMethods()
                    .Where(m => reader.GetString(reader.GetMethodDefinition(m).Name) == name).ToList();
                return matches.Count == 1 ? matches[0] : matches.Single(m => SameSignature(reader.GetMethodDefinition(m).DecodeSignature(ids, null), signature));
            default:
                return null;
        }
    }

    private static bool SameSignature(MethodSignature<string> a, MethodSignature<string> b) =>
        a.ReturnType == b.ReturnType && a.GenericParameterCount == b.GenericParameterCount && a.ParameterTypes.SequenceEqual(b.ParameterTypes);

    /// <summary>The type definition behind a TypeDef or a generic instantiation of one; null for other assemblies' types.</summary>
    private TypeDefinitionHandle? DefinitionOf(EntityHandle handle)
    {
        if (handle.Kind == HandleKind.TypeDefinition) return (TypeDefinitionHandle)handle;
        if (handle.Kind != HandleKind.TypeSpecification) return null;
        var blob = reader.GetBlobReader(reader.GetTypeSpecification((TypeSpecificationHandle)handle).Signature);
        if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance) return null;
        blob.ReadSignatureTypeCode();   // class or valuetype
        var generic = blob.ReadTypeHandle();
        return generic.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)generic : null;
    }

    /// <summary>The <c>typeof</c> argument of [AsyncStateMachine]/[IteratorStateMachine]/[AsyncIteratorStateMachine].</summary>
    private IEnumerable<string> StateMachineTypes(MethodDefinition method)
    {
        foreach (var handle in method.GetCustomAttributes())
        {
            var attribute = reader.GetCustomAttribute(handle);
            if (!AttributeTypeName(attribute).EndsWith("StateMachineAttribute", StringComparison.Ordinal)) continue;
            var value = reader.GetBlobReader(attribute.Value);
            value.ReadUInt16();   // prolog 0x0001; then the one fixed argument, a System.Type as its serialized name
            var name = value.ReadSerializedString();
            if (name is not null) yield return name.Split(',')[0];
        }
    }

    private string AttributeTypeName(CustomAttribute attribute)
    {
        var parent = attribute.Constructor.Kind switch
        {
            HandleKind.MemberReference => reader.GetMemberReference((MemberReferenceHandle)attribute.Constructor).Parent,
            HandleKind.MethodDefinition => (EntityHandle)reader.GetMethodDefinition((MethodDefinitionHandle)attribute.Constructor).GetDeclaringType(),
            _ => default,
        };
        return parent.Kind switch
        {
            HandleKind.TypeReference => reader.GetString(reader.GetTypeReference((TypeReferenceHandle)parent).Name),
            HandleKind.TypeDefinition => reader.GetString(reader.GetTypeDefinition((TypeDefinitionHandle)parent).Name),
            _ => "",
        };
    }

    private string ReflectionName(TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        var declaring = type.GetDeclaringType();
        if (!declaring.IsNil) return ReflectionName(declaring) + "+" + reader.GetString(type.Name);
        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? reader.GetString(type.Name) : ns + "." + reader.GetString(type.Name);
    }

    /// <summary>
    /// Types whose virtual dispatch lands in an override that makes a Scalar: the overrides a type declares, plus those
    /// it inherits and does not override again. Only types user code can create (visible, not abstract) are listed.
    /// </summary>
    private Dictionary<string, IReadOnlyList<string>> TypesWithMakingOverrides()
    {
        var memo = new Dictionary<TypeDefinitionHandle, Dictionary<string, MethodDefinitionHandle>>();
        var result = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if ((type.Attributes & (TypeAttributes.Abstract | TypeAttributes.Interface)) != 0 || !IsVisible(handle)) continue;
            var making = Effective(handle, memo);
            if (making.Count > 0) result[ids.TypeId(handle)] = making.Values.Select(ids.MethodId).OrderBy(s => s, StringComparer.Ordinal).ToList();
        }
        return result;
    }

    private Dictionary<string, MethodDefinitionHandle> Effective(TypeDefinitionHandle handle, Dictionary<TypeDefinitionHandle, Dictionary<string, MethodDefinitionHandle>> memo)
    {
        if (memo.TryGetValue(handle, out var known)) return known;
        var type = reader.GetTypeDefinition(handle);
        var making = DefinitionOf(type.BaseType) is { } baseType
            ? new Dictionary<string, MethodDefinitionHandle>(Effective(baseType, memo))
            : new Dictionary<string, MethodDefinitionHandle>();
        foreach (var methodHandle in type.GetMethods())
        {
            var attributes = reader.GetMethodDefinition(methodHandle).Attributes;
            // C# 'override' is virtual without newslot; 'new virtual' and interface implementations take a new slot.
            if ((attributes & MethodAttributes.Virtual) == 0 || (attributes & MethodAttributes.NewSlot) != 0) continue;
            var key = ids.OverrideKey(methodHandle);
            if (makers.Contains(methodHandle)) making[key] = methodHandle;
            else making.Remove(key);
        }
        memo[handle] = making;
        return making;
    }

    private bool IsVisible(MethodDefinition method) => IsVisible(reader, method);

    private bool IsVisible(TypeDefinitionHandle handle) => IsVisible(reader, handle);

    /// <summary>Public, protected or protected internal, in a type other assemblies see: what Roslyn imports.</summary>
    private static bool IsVisible(MetadataReader reader, MethodDefinition method) =>
        (method.Attributes & MethodAttributes.MemberAccessMask) is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem
        && IsVisible(reader, method.GetDeclaringType());

    private static bool IsVisible(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        return (type.Attributes & TypeAttributes.VisibilityMask) switch
        {
            TypeAttributes.Public => true,
            TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem => IsVisible(reader, type.GetDeclaringType()),
            _ => false,
        };
    }

    /// <summary>Every visible method's ID: what the documentation-ID format test compares with Roslyn's.</summary>
    public static IReadOnlyList<string> VisibleMethodIds(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var ids = new DocumentationIds(reader);
        return reader.MethodDefinitions.Where(m => IsVisible(reader, reader.GetMethodDefinition(m))).Select(ids.MethodId).ToList();
    }
}
