namespace AttributeGan.Generators;

/// <summary>Names of the incremental pipeline's steps, so tests can assert what was cached.</summary>
public static class TrackingNames
{
    public const string ParseSpec = nameof(ParseSpec);
    public const string ResolveBases = nameof(ResolveBases);
    public const string SelectSpec = nameof(SelectSpec);
    public const string CompileSpec = nameof(CompileSpec);
    public const string CatalogNames = nameof(CatalogNames);
}
