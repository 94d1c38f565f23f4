namespace System.Runtime.CompilerServices;

// netstandard2.0 lacks this marker type, which C# records' init accessors need.
internal static class IsExternalInit
{
}
