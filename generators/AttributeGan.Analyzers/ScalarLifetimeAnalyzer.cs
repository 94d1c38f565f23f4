using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace AttributeGan.Analyzers;

/// <summary>
/// Flags every way tensor code makes a TorchSharp Scalar that nothing holds while libtorch reads it: AGS001 a temporary
/// made here (an implicit conversion, a number's or a tensor's ToScalar()), AGS002 a TorchSharp member that makes one
/// inside (t.ToDouble() among them), AGS003 a TorchSharp type whose overrides make them
/// (docs/results/scalar-lifetime.md).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ScalarLifetimeAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        ScalarLifetimeRules.TemporaryScalar, ScalarLifetimeRules.MemberMakesScalar, ScalarLifetimeRules.TypeMakesScalar);

    public override void Initialize(AnalysisContext context)
    {
        // Generated code too: the spec generator writes tensor code, and its Scalars are freed like any others.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze | GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar") is not { } scalar) return;   // no TorchSharp, nothing to do
            var symbols = new TorchSharpSymbols(scalar);
            start.RegisterOperationAction(c => Conversion(c, symbols), OperationKind.Conversion);
            start.RegisterOperationAction(c => Invocation(c, symbols), OperationKind.Invocation);
            start.RegisterOperationAction(c => ObjectCreation(c, symbols), OperationKind.ObjectCreation);
            start.RegisterOperationAction(c => Operator(c, symbols),
                OperationKind.Binary, OperationKind.Unary, OperationKind.CompoundAssignment, OperationKind.Increment, OperationKind.Decrement);
            start.RegisterOperationAction(c => PropertyReference(c, symbols), OperationKind.PropertyReference);
            start.RegisterOperationAction(c => MethodReference(c, symbols), OperationKind.MethodReference);
        });
    }

    private static void Conversion(OperationAnalysisContext context, TorchSharpSymbols symbols)
    {
        var conversion = (IConversionOperation)context.Operation;
        var method = conversion.OperatorMethod;
        if (!symbols.IsScalarConversion(method))
        {
            Member(context, symbols, method, receiver: conversion.Operand);   // another type's user-defined conversion: (double)t
            return;
        }
        if (IsHeld(conversion)) return;
        var operand = conversion.Operand;
        var text = operand.Syntax.ToString();
        var what = (conversion.IsImplicit ? "The implicit conversion of " : "The conversion of ") + text + " to Scalar";
        context.ReportDiagnostic(Diagnostic.Create(ScalarLifetimeRules.TemporaryScalar, conversion.Syntax.GetLocation(),
            what, ScalarLifetimeRules.HoldAdvice(text, operand.ConstantValue.HasValue)));
    }

    private static void Invocation(OperationAnalysisContext context, TorchSharpSymbols symbols)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var receiver = Receiver(invocation);
        if (symbols.ReturnsNewScalar(invocation.TargetMethod))
        {
            if (IsHeld(invocation)) return;
            var advice = invocation.TargetMethod.ContainingType.Name == "ScalarExtensionMethods" && receiver is not null
                ? ScalarLifetimeRules.HoldAdvice(receiver.Syntax.ToString(), receiver.ConstantValue.HasValue)   // 0.5.ToScalar()
                : ScalarLifetimeRules.HoldResultAdvice(invocation.Syntax.ToString(), receiver is null ? null : ReceiverText(receiver), invocation.TargetMethod.Name);
            context.ReportDiagnostic(Diagnostic.Create(ScalarLifetimeRules.TemporaryScalar, invocation.Syntax.GetLocation(),
                "'" + invocation.Syntax + "'", advice));
            return;
        }
        Member(context, symbols, invocation.TargetMethod, invocation.IsVirtual, receiver);
        // A factory such as torch.optim.Adam(...) creates the listed type as surely as its constructor.
        if (TorchSharpIsDeclaring(invocation.TargetMethod))
            ListedType(context, symbols, invocation.TargetMethod.OriginalDefinition.ReturnType,
                $"'{invocation.TargetMethod.ContainingType.Name}.{invocation.TargetMethod.Name}(...)' creates");
    }

    private static void ObjectCreation(OperationAnalysisContext context, TorchSharpSymbols symbols)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        Member(context, symbols, creation.Constructor);
        ListedType(context, symbols, creation.Type, "Creating");
    }

    private static void Operator(OperationAnalysisContext context, TorchSharpSymbols symbols)
    {
        var method = context.Operation switch
        {
            IBinaryOperation binary => binary.OperatorMethod,
            IUnaryOperation unary => unary.OperatorMethod,
            ICompoundAssignmentOperation compound => compound.OperatorMethod,
            IIncrementOrDecrementOperation increment => increment.OperatorMethod,
            _ => null,
        };
        Member(context, symbols, method);
    }

    private static void PropertyReference(OperationAnalysisContext context, TorchSharpSymbols symbols)
    {
        var reference = (IPropertyReferenceOperation)context.Operation;
        var property = reference.Property;
        var (reads, writes) = reference.Parent switch
        {
            ISimpleAssignmentOperation assignment when assignment.Target == reference => (false, true),
            ICompoundAssignmentOperation or ICoalesceAssignmentOperation or IIncrementOrDecrementOperation => (true, true),
            _ => (true, false),
        };
        var isVirtual = reference.Instance?.Syntax is not BaseExpressionSyntax;
        if (reads) Member(context, symbols, property.GetMethod, isVirtual);
        if (writes) Member(context, symbols, property.SetMethod, isVirtual);
    }

    private static void MethodReference(OperationAnalysisContext context, TorchSharpSymbols symbols)
    {
        var reference = (IMethodReferenceOperation)context.Operation;
        Member(context, symbols, reference.Method, reference.IsVirtual, reference.Instance);
    }

    /// <summary>What a call is made on: the instance, or an extension method's first argument (<c>t</c> in <c>t.ToDouble()</c>).</summary>
    private static IOperation? Receiver(IInvocationOperation invocation) => invocation.Instance is { } instance
        ? (instance.IsImplicit ? null : instance)   // an unqualified call on this: no text to repeat
        : invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null;

    /// <summary>The receiver as it can be written before a '.': parenthesized unless it is a name, member access, call or indexer.</summary>
    private static string ReceiverText(IOperation receiver)
    {
        var syntax = receiver.Syntax;
        var text = syntax.ToString();
        return syntax is SimpleNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            or ParenthesizedExpressionSyntax or ThisExpressionSyntax or BaseExpressionSyntax
            ? text : "(" + text + ")";
    }

    /// <summary>AGS002 for <paramref name="method"/> if it is on the list.</summary>
    /// <remarks>
    /// A virtual call of a listed override (adam.step(), normal.variance) runs whatever the object's type overrides it
    /// with, which is decided where the object is created: AGS003 flags that, and a ScalarSafe.Adam held in an Adam
    /// variable is not flagged here. A non-virtual call (base.step()) runs the listed override itself.
    /// </remarks>
    private static void Member(OperationAnalysisContext context, TorchSharpSymbols symbols, IMethodSymbol? method, bool isVirtual = false,
        IOperation? receiver = null)
    {
        if (symbols.ListedMember(method) is not { } id) return;
        if (isVirtual && method!.IsOverride) return;
        var shown = method!.AssociatedSymbol is IPropertySymbol property ? property : (ISymbol)method;
        context.ReportDiagnostic(Diagnostic.Create(ScalarLifetimeRules.MemberMakesScalar, context.Operation.Syntax.GetLocation(),
            shown.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat),
            ScalarLifetimeRules.Alternative(method, id, receiver is null ? null : ReceiverText(receiver))));
    }

    private static void ListedType(OperationAnalysisContext context, TorchSharpSymbols symbols, ITypeSymbol? type, string how)
    {
        if (symbols.ListedType(type) is not { } finding) return;
        var name = finding.TypeId.Substring(2);
        context.ReportDiagnostic(Diagnostic.Create(ScalarLifetimeRules.TypeMakesScalar, context.Operation.Syntax.GetLocation(),
            how, type!.ToDisplayString() == name ? name : $"{type.ToDisplayString()} (a {name})", finding.Members,
            ScalarLifetimeRules.Replacement(finding.TypeId)));
    }

    private static bool TorchSharpIsDeclaring(IMethodSymbol method) => method.ContainingAssembly?.Name == "TorchSharp";

    /// <summary>
    /// Whether a new Scalar is kept alive past the native calls that read it: stored in a field or property, the
    /// resource of a using, or returned (the caller owns it then). A local without using is not enough: the JIT may
    /// treat a local as dead once its handle is read.
    /// </summary>
    private static bool IsHeld(IOperation scalar)
    {
        var current = scalar;
        var parent = current.Parent;
        while (parent is IConversionOperation { OperatorMethod: null } or IParenthesizedOperation)
        {
            current = parent;
            parent = parent.Parent;
        }
        switch (parent)
        {
            case IFieldInitializerOperation or IPropertyInitializerOperation or IReturnOperation:
                return true;
            case IAssignmentOperation assignment when assignment.Value == current:   // simple and ??= (compound ones do not store a Scalar)
                return assignment.Target is IFieldReferenceOperation or IPropertyReferenceOperation;
            case IUsingOperation usingStatement:
                return usingStatement.Resources == current;
            case IVariableInitializerOperation initializer:
                IOperation? declaration = initializer.Parent;
                while (declaration is IVariableDeclaratorOperation or IVariableDeclarationOperation or IVariableDeclarationGroupOperation)
                    declaration = declaration.Parent;
                return declaration is IUsingDeclarationOperation or IUsingOperation;
            default:
                return false;
        }
    }
}
