using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace AttributeGan.Generators.Helpers;

/// <summary>Spec names → C# names.</summary>
internal static class Naming
{
    /// <summary>snake_case or kebab-case → PascalCase; null when the result is not a usable identifier.</summary>
    public static string? ToPascalCase(string name)
    {
        var builder = new StringBuilder(name.Length);
        bool upper = true;
        foreach (char c in name)
        {
            if (c is '_' or '-' or ' ')
            {
                upper = true;
                continue;
            }

            if (c > 127 || !char.IsLetterOrDigit(c)) return null;
            builder.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }

        var result = builder.ToString();
        return IsIdentifier(result) ? result : null;
    }

    /// <summary>One dotted part of a namespace: an ASCII identifier, which may start with an underscore, and no keyword.</summary>
    public static bool IsNamespaceSegment(string name) =>
        name.Length > 0 && name.Length <= 128 && name.All(c => c < 128) && SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;

    public static bool IsIdentifier(string name) =>
        name.Length > 0 && name.Length <= 128 && char.IsLetter(name[0]) && name[0] < 128 &&
        SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None &&
        SyntaxFacts.GetContextualKeywordKind(name) == SyntaxKind.None;
}
