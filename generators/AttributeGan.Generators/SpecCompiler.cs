using System;
using System.Collections.Generic;
using System.Linq;
using AttributeGan.Generators.Binding;
using AttributeGan.Generators.Diagnostics;
using AttributeGan.Generators.Helpers;
using AttributeGan.Generators.Model;
using AttributeGan.Generators.Planning;
using AttributeGan.Generators.Resolution;
using AttributeGan.Generators.Validation;
using Microsoft.CodeAnalysis;

namespace AttributeGan.Generators;

/// <summary>One spec file's compile result: the planned model (null when any error was found) and all its diagnostics.</summary>
internal sealed record CompileResult(string Path, CompiledSpec? Compiled, EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>Bind → validate → plan, for one resolved spec. Never throws: a failure becomes AGAN000 on the file.</summary>
internal static class SpecCompiler
{
    public static CompileResult Compile(ResolvedDocument document)
    {
        var diagnostics = new List<DiagnosticInfo>(document.Diagnostics);
        try
        {
            if (document.Root is null) return new CompileResult(document.Path, null, diagnostics.ToEquatableArray());
            var (bound, context) = BindAndValidate(document.Root, document.Path);
            diagnostics.AddRange(context.Diagnostics);
            if (bound is null || diagnostics.Any(IsError)) return new CompileResult(document.Path, null, diagnostics.ToEquatableArray());

            var canonical = CanonicalSpecWriter.Write(bound);
            var spec = bound with { CanonicalText = canonical, Hash = CanonicalSpecWriter.Hash(canonical) };
            try
            {
                var compiled = NetworkPlanner.Plan(spec);
                _ = compiled.Generator.Parameters + compiled.Generator.Macs + compiled.Discriminator.Parameters + compiled.Discriminator.Macs;
                return new CompileResult(document.Path, compiled, diagnostics.ToEquatableArray());
            }
            catch (OverflowException)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelTooLarge, context.LocationOf("name"), spec.Name, "a parameter or multiply-accumulate count"));
                return new CompileResult(document.Path, null, diagnostics.ToEquatableArray());
            }
        }
        catch (Exception e)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, LocationInfo.FileStart(document.Path), e.GetType().Name + ": " + e.Message));
            return new CompileResult(document.Path, null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>Whether binding or validating <paramref name="root"/> finds an error (no planning, no emission).</summary>
    public static bool HasErrors(MappingNode root, string path)
    {
        try
        {
            var (bound, context) = BindAndValidate(root, path);
            return bound is null || context.HasErrors;
        }
        catch (Exception)
        {
            return true;
        }
    }

    /// <summary>Binds a tree and, when it binds cleanly, checks the rules between its values.</summary>
    private static (SpecModel? Bound, BindingContext Context) BindAndValidate(MappingNode root, string path)
    {
        var context = new BindingContext(LocationInfo.FileStart(path));
        var bound = SpecBinder.Bind(root, System.IO.Path.GetFileName(path), context);
        if (bound is not null && !context.HasErrors) SpecValidator.Validate(bound, context);
        return (bound, context);
    }

    private static bool IsError(DiagnosticInfo diagnostic) => DiagnosticDescriptors.ById(diagnostic.Id).DefaultSeverity == DiagnosticSeverity.Error;
}
