using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace AttributeGan.Generators.Diagnostics;

/// <summary>
/// Every diagnostic the spec compiler reports. Each message says what is wrong and how to fix it; docs/diagnostics.md
/// shows a wrong and a fixed example for each id.
/// </summary>
public static class DiagnosticDescriptors
{
    private const string Category = "AttributeGan.Spec";
    private const string HelpBase = "docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor InternalError = Error("AGAN000", "Spec compiler failure",
        "The spec compiler could not process this file ({0}); please report it with the file attached");

    public static readonly DiagnosticDescriptor YamlSyntaxError = Error("AGAN001", "YAML syntax error",
        "YAML syntax error: {0}");

    public static readonly DiagnosticDescriptor UnknownKey = Error("AGAN002", "Unknown key",
        "Unknown key '{0}' in {1}{2}; the keys allowed here are: {3}");

    public static readonly DiagnosticDescriptor WrongType = Error("AGAN003", "Value of the wrong type",
        "{0} must be {1}, but is {2}");

    public static readonly DiagnosticDescriptor MissingKey = Error("AGAN004", "Required key missing",
        "{0} needs the key '{1}' ({2})");

    public static readonly DiagnosticDescriptor DuplicateKey = Error("AGAN005", "Duplicate key",
        "The key '{0}' appears twice in the same mapping; keep one of them");

    public static readonly DiagnosticDescriptor ResolutionNotPowerOfTwo = Error("AGAN006", "Resolution is not a power of two",
        "{0} is {1}, which is not a power of two; use {2}");

    public static readonly DiagnosticDescriptor GeneratorStagesMustDouble = Error("AGAN007", "Generator stages must double the resolution",
        "Generator stage {0} has resolution {1}, but each stage doubles the previous resolution ({2}); use {3}");

    public static readonly DiagnosticDescriptor DiscriminatorStagesMustHalve = Error("AGAN008", "Discriminator stages must halve the resolution",
        "Discriminator stage {0} has resolution {1}, but each stage halves the previous resolution ({2}); use {3}");

    public static readonly DiagnosticDescriptor ResolutionMismatch = Error("AGAN009", "Network does not meet the image resolution",
        "{0} is {1}, but {2}; {3}");

    public static readonly DiagnosticDescriptor AttentionAtMissingResolution = Error("AGAN010", "Attention at a resolution no stage has",
        "{0} attention at {1}×{1}, but no {0} stage has that resolution; the stage resolutions are {2}");

    public static readonly DiagnosticDescriptor HeadsDoNotDivideChannels = Error("AGAN011", "Attention heads do not divide the channels",
        "{0} attention at {1}×{1} has {2} channels, which {3} heads do not divide; set 'key_dim' and 'value_dim', or use a head count that divides {2} (e.g. {4})");

    public static readonly DiagnosticDescriptor SkipLinkMustPointUp = Error("AGAN012", "Skip-layer excitation must go from low to high resolution",
        "Skip-layer excitation from {0} to {1} points {2}; 'from' must be a lower resolution than 'to' (swap them)");

    public static readonly DiagnosticDescriptor SkipLinkAtMissingStage = Error("AGAN013", "Skip-layer excitation at a resolution no stage has",
        "Skip-layer excitation '{0}: {1}' names a resolution no generator stage has; the stage resolutions are {2}");

    public static readonly DiagnosticDescriptor HeadAtMissingResolution = Error("AGAN014", "Discriminator head at a resolution the discriminator never has",
        "The {2} head reads the {0}×{0} features, but no discriminator stage has that resolution; use one of {1}");

    public static readonly DiagnosticDescriptor ReconstructionInvalid = Error("AGAN015", "Reconstruction decoder cannot be built",
        "Reconstruction {0}; {1}");

    public static readonly DiagnosticDescriptor ListEmpty = Error("AGAN016", "List empty or too short",
        "{0} {1}; {2}");

    public static readonly DiagnosticDescriptor DuplicateLevel = Error("AGAN017", "Duplicate attribute level",
        "Attribute '{0}' lists the level '{1}' twice; each level name must be distinct");

    public static readonly DiagnosticDescriptor NegativeOrNonFinite = Error("AGAN018", "Negative or non-finite number",
        "{0} is {1}; it must be a finite number {2}");

    public static readonly DiagnosticDescriptor OutOfRange = Error("AGAN019", "Value out of range",
        "{0} is {1}; it must be {2}");

    public static readonly DiagnosticDescriptor BaseNotFound = Error("AGAN020", "Base spec not found",
        "The base spec '{0}' was not found among the spec files; add it to the project's specs or fix the path (looked for {1})");

    public static readonly DiagnosticDescriptor CyclicBase = Error("AGAN021", "Cyclic base",
        "The base chain loops: {0}; remove one of the 'base:' keys");

    public static readonly DiagnosticDescriptor DuplicateModelName = Error("AGAN022", "Duplicate model name",
        "The model name '{0}' is also used by {1}; give each spec its own name");

    public static readonly DiagnosticDescriptor InvalidModelName = Error("AGAN023", "Model name is not a C# identifier",
        "The model name '{0}' cannot name C# types; use letters, digits and underscores, starting with a letter (e.g. '{1}')");

    public static readonly DiagnosticDescriptor UnknownChoice = Error("AGAN024", "Unknown choice",
        "{0} is '{1}', which is not one of: {2}{3}");

    public static readonly DiagnosticDescriptor SpecTooLarge = Error("AGAN025", "Spec exceeds the reader's limits",
        "The spec file is too large to read: {0}; a spec is a few hundred lines");

    public static readonly DiagnosticDescriptor EmptySpec = Error("AGAN026", "Empty spec",
        "The spec file is empty; start it with 'name:' and the keys of a model, or 'base:' and a delta (see docs/spec-language.md)");

    public static readonly DiagnosticDescriptor NameCollision = Error("AGAN027", "Generated C# names collide",
        "{0} '{1}' becomes the C# name '{2}', which {3}; rename it");

    public static readonly DiagnosticDescriptor NameNotIdentifier = Error("AGAN028", "Name cannot become a C# identifier",
        "{0} '{1}' cannot become a C# identifier; use letters, digits and underscores, starting with a letter");

    public static readonly DiagnosticDescriptor DuplicateEntry = Error("AGAN029", "Duplicate list entry",
        "{0} lists {1} twice; remove the repetition");

    public static readonly DiagnosticDescriptor LossWithoutHead = Error("AGAN030", "Loss weight without the head it needs",
        "losses: {0} has weight {1}, but the discriminator has no {2} head; add 'discriminator.{2}' or set the weight to 0");

    public static readonly DiagnosticDescriptor ModelTooLarge = Error("AGAN031", "Model too large",
        "The model '{0}' is too large to count: {1} overflows a 64-bit integer; reduce channels or resolution");

    public static readonly DiagnosticDescriptor BaseHasErrors = Error("AGAN032", "Base spec has errors",
        "The base spec '{0}' has errors; fix them first, this spec inherits from it");

    public static readonly DiagnosticDescriptor UnusedHead = Warning("AGAN033", "Head without a loss",
        "The discriminator has a {0} head, but losses: {1} weights it 0 everywhere; remove the head or give it a weight");

    public static readonly DiagnosticDescriptor SpecNamespaceInvalid = Error("AGAN034", "Namespace for generated code is not a C# namespace",
        "The MSBuild property AttributeGanSpecNamespace is '{0}', which is not a C# namespace; set <AttributeGanSpecNamespace> in the project file to dotted identifiers, e.g. MyProject.Specs");

    public static readonly DiagnosticDescriptor SettingWithoutEffect = Warning("AGAN035", "Setting without effect",
        "{0} has no effect {1}; {2}");

    private static readonly Dictionary<string, DiagnosticDescriptor> byId = typeof(DiagnosticDescriptors)
        .GetFields()
        .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
        .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
        .ToDictionary(d => d.Id);

    public static IReadOnlyCollection<DiagnosticDescriptor> All => byId.Values;

    public static DiagnosticDescriptor ById(string id) => byId[id];

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
