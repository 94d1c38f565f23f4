using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AttributeGan.Analyzers.Tests.IlScan;

/// <summary>Writes generators/AttributeGan.Analyzers/TorchSharpScalarMembers.cs from a scan (on an upgrade, for review).</summary>
internal static class MemberListFile
{
    public static string Render(ScalarMakerScan scan, string torchSharpVersion)
    {
        var text = new StringBuilder();
        text.Append($$"""
            // The TorchSharp members and types the ScalarLifetime analyzer (AGS001, AGS002, AGS003) looks up, derived from
            // the IL of TorchSharp {{torchSharpVersion}} (lib/net8.0/TorchSharp.dll, assembly version {{scan.Version}}) by
            // tests/AttributeGan.Analyzers.Tests/IlScan/ScalarMakerScan.cs, then read through by hand.
            //
            // Every Scalar is made by Scalar's constructor (newobj). A method that constructs one, or calls a method that
            // hands it one, returns it (a source: declared to return Scalar, object or a type parameter) or drops it (a
            // maker); a caller of a maker is a maker. Lambdas, closures, local functions and state machines count for the
            // method that declares them. Virtual calls are followed to the method the IL names, not into overrides.
            //  - MembersReturningNewScalars: the public sources declared to return Scalar (Scalar's conversions,
            //    ScalarExtensionMethods.To*Scalar, Tensor.ToScalar()): the caller must hold what they return (AGS001).
            //  - MembersMakingScalars: the makers that are public or protected in public types, as documentation-comment
            //    IDs: a Scalar made inside dies inside (AGS002; e.g. Tensor.ToDouble() reads a ToScalar() it drops).
            //  - TypesWithOverridesMakingScalars: public non-abstract types that declare or inherit an override that makes
            //    a Scalar (TorchSharp calls it through the base class: Optimizer.step, Module.forward, Distribution members).
            //
            // Do not edit by hand. TorchSharpScalarMembersTests re-derives the lists from the TorchSharp.dll the tests run
            // against; on an upgrade it fails, lists what to add and remove, and writes this file anew to its output folder.

            using System.Collections.Generic;

            namespace AttributeGan.Analyzers;

            public static class TorchSharpScalarMembers
            {
                /// <summary>AGS001: documentation-comment IDs of TorchSharp members that return a new Scalar ({{scan.ScalarReturning.Count}}).</summary>
                public static IReadOnlyCollection<string> MembersReturningNewScalars { get; } = new[]
                {

            """);
        AppendLines(text, scan.ScalarReturning);
        text.Append($$"""
                };

                /// <summary>AGS002: documentation-comment IDs of TorchSharp members that make a temporary Scalar inside ({{scan.Members.Count}}).</summary>
                public static IReadOnlyCollection<string> MembersMakingScalars { get; } = new[]
                {

            """);
        AppendLines(text, scan.Members);
        text.Append($$"""
                };

                /// <summary>AGS003: documentation-comment IDs of TorchSharp types whose overrides make temporary Scalars ({{scan.Types.Count}}).</summary>
                public static IReadOnlyCollection<string> TypesWithOverridesMakingScalars { get; } = new[]
                {

            """);
        AppendLines(text, scan.Types);
        text.Append("""
                };
            }

            """);
        return text.ToString();
    }

    private static void AppendLines(StringBuilder text, IEnumerable<string> ids)
    {
        foreach (var id in ids) text.Append("        \"").Append(id.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append("\",\n");
    }

    /// <summary>"add:" and "remove:" lines, at most <paramref name="limit"/> of each, for a failure message.</summary>
    public static string Diff(IEnumerable<string> expected, IEnumerable<string> actual, int limit = 40)
    {
        var expectedSet = new SortedSet<string>(expected, System.StringComparer.Ordinal);
        var actualSet = new SortedSet<string>(actual, System.StringComparer.Ordinal);
        var add = expectedSet.Except(actualSet).ToList();
        var remove = actualSet.Except(expectedSet).ToList();
        IEnumerable<string> Lines(string verb, List<string> ids) =>
            ids.Take(limit).Select(id => $"  {verb} {id}").Concat(ids.Count > limit ? new[] { $"  … and {ids.Count - limit} more to {verb}" } : []);
        return string.Join("\n", Lines("add", add).Concat(Lines("remove", remove)));
    }
}
