using System;
using System.IO;
using System.Linq;
using AttributeGan.Analyzers.Tests.IlScan;
using Xunit;

namespace AttributeGan.Analyzers.Tests;

/// <summary>
/// The analyzer's lists are what TorchSharp's IL says, for the TorchSharp.dll these tests run against: an upgrade that
/// adds or removes a Scalar-making member fails here, with what to add and remove and the new file to review.
/// </summary>
public sealed class TorchSharpScalarMembersTests
{
    private static readonly Lazy<ScalarMakerScan> Scan = new(() => ScalarMakerScan.Of(AnalyzerHarness.TorchSharpPath));

    [Fact]
    public void The_member_list_is_what_the_IL_says()
    {
        var diff = MemberListFile.Diff(Scan.Value.Members, TorchSharpScalarMembers.MembersMakingScalars);
        Assert.True(diff.Length == 0, $"TorchSharpScalarMembers.MembersMakingScalars differs from TorchSharp's IL:\n{diff}\n{WriteExpected()}");
    }

    [Fact]
    public void The_returning_list_is_what_the_IL_says()
    {
        var diff = MemberListFile.Diff(Scan.Value.ScalarReturning, TorchSharpScalarMembers.MembersReturningNewScalars);
        Assert.True(diff.Length == 0, $"TorchSharpScalarMembers.MembersReturningNewScalars differs from TorchSharp's IL:\n{diff}\n{WriteExpected()}");
    }

    [Fact]
    public void The_type_list_is_what_the_IL_says()
    {
        var diff = MemberListFile.Diff(Scan.Value.Types, TorchSharpScalarMembers.TypesWithOverridesMakingScalars);
        Assert.True(diff.Length == 0, $"TorchSharpScalarMembers.TypesWithOverridesMakingScalars differs from TorchSharp's IL:\n{diff}\n{WriteExpected()}");
    }

    [Fact]
    public void The_file_says_which_TorchSharp_it_was_derived_from()
    {
        var source = File.ReadAllText(Path.Combine(AnalyzerHarness.RepositoryRoot, "generators", "AttributeGan.Analyzers", "TorchSharpScalarMembers.cs"));
        Assert.Contains($"TorchSharp {TorchSharpVersion} ", source);
    }

    [Fact]
    public void The_lists_are_sorted_and_distinct()
    {
        foreach (var list in new[] { TorchSharpScalarMembers.MembersReturningNewScalars, TorchSharpScalarMembers.MembersMakingScalars, TorchSharpScalarMembers.TypesWithOverridesMakingScalars })
            Assert.Equal(list.Distinct().OrderBy(s => s, StringComparer.Ordinal), list);
    }

    // The defects that started this (docs/results/scalar-lifetime.md), and the forms the fix relies on being safe.
    [Theory]
    [InlineData("M:TorchSharp.torch.Tensor.op_Addition(TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)", true)]
    [InlineData("M:TorchSharp.torch.Tensor.op_Multiply(TorchSharp.torch.Tensor,System.Double)", true)]
    [InlineData("M:TorchSharp.torch.nn.functional.leaky_relu(TorchSharp.torch.Tensor,System.Double,System.Boolean)", true)]
    [InlineData("M:TorchSharp.torch.Tensor.square", true)]
    [InlineData("M:TorchSharp.torch.Tensor.add(TorchSharp.Scalar)", true)]   // alpha = 1, made inside
    [InlineData("M:TorchSharp.torch.Tensor.add(TorchSharp.torch.Tensor,TorchSharp.Scalar)", false)]
    [InlineData("M:TorchSharp.torch.Tensor.op_Subtraction(TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)", false)]
    [InlineData("M:TorchSharp.torch.Tensor.op_Multiply(TorchSharp.torch.Tensor,TorchSharp.torch.Tensor)", false)]
    [InlineData("M:TorchSharp.torch.Tensor.mul(TorchSharp.Scalar)", false)]
    [InlineData("M:TorchSharp.Scalar.op_Implicit(System.Double)~TorchSharp.Scalar", false)]   // AGS001's
    [InlineData("M:TorchSharp.ScalarExtensionMethods.ToScalar(System.Double)", false)]
    [InlineData("M:TorchSharp.torch.Tensor.ToScalar", false)]                                  // returns its Scalar: AGS001's
    // Tensor.ToScalar() constructs a Scalar (newobj Scalar::.ctor(IntPtr)); these read it and drop it.
    [InlineData("M:TorchSharp.TensorExtensionMethods.ToDouble(TorchSharp.torch.Tensor)", true)]
    [InlineData("M:TorchSharp.TensorExtensionMethods.ToSingle(TorchSharp.torch.Tensor)", true)]
    [InlineData("M:TorchSharp.TensorExtensionMethods.ToInt64(TorchSharp.torch.Tensor)", true)]
    [InlineData("M:TorchSharp.torch.Tensor.op_Explicit(TorchSharp.torch.Tensor)~System.Double", true)]   // (double)t is ToDouble(t)
    [InlineData("M:TorchSharp.torch.Tensor.ToString(TorchSharp.TensorStringStyle,System.String,System.Nullable{System.Int32},System.Globalization.CultureInfo,System.String)", true)]
    // The safe reads: item<T>() reads the element through data<T>(), to() converts first; ToString() is metadata only.
    [InlineData("M:TorchSharp.torch.Tensor.item``1", false)]
    [InlineData("M:TorchSharp.torch.Tensor.data``1", false)]
    [InlineData("M:TorchSharp.torch.Tensor.to(TorchSharp.torch.ScalarType,System.Boolean,System.Boolean,System.Boolean)", false)]
    [InlineData("M:TorchSharp.torch.Tensor.cpu", false)]
    [InlineData("M:TorchSharp.torch.Tensor.ToString", false)]
    public void Known_members(string id, bool listed) => Assert.Equal(listed, TorchSharpScalarMembers.MembersMakingScalars.Contains(id));

    [Theory]
    [InlineData("M:TorchSharp.torch.Tensor.ToScalar", true)]
    [InlineData("M:TorchSharp.ScalarExtensionMethods.ToScalar(System.Double)", true)]
    [InlineData("M:TorchSharp.ScalarExtensionMethods.ToBFloat16Scalar(System.Single)", true)]
    [InlineData("M:TorchSharp.Scalar.op_Implicit(System.Double)~TorchSharp.Scalar", true)]
    [InlineData("M:TorchSharp.torch.Tensor.tolist", false)]   // returns object: a Scalar only for a 0-d tensor, boxed
    [InlineData("M:TorchSharp.TensorExtensionMethods.ToDouble(TorchSharp.torch.Tensor)", false)]
    public void Known_members_returning_new_Scalars(string id, bool listed) =>
        Assert.Equal(listed, TorchSharpScalarMembers.MembersReturningNewScalars.Contains(id));

    /// <summary>
    /// The methods that return the Scalars they get, not counting Scalar's conversions and ScalarExtensionMethods'
    /// factories. Each was checked in the IL to return every Scalar it makes: Tensor.ToScalar() (newobj; ret), tolist()
    /// (the Scalar, or an ArrayList of them), the TorchScript results (ProcessReturnValue boxes them, or puts them in
    /// arrays and tuples, and forward/call/invoke return that). A new one here is a method the rule calls a source
    /// because of its return type alone: read its IL before accepting it.
    /// </summary>
    [Fact]
    public void The_sources_are_the_ones_read_in_the_IL()
    {
        var others = Scan.Value.Sources.Where(id => !id.StartsWith("M:TorchSharp.Scalar.op_Implicit(", StringComparison.Ordinal)
            && !id.StartsWith("M:TorchSharp.ScalarExtensionMethods.To", StringComparison.Ordinal));
        Assert.Equal(new[]
        {
            "M:TorchSharp.torch.Tensor.ToScalar",
            "M:TorchSharp.torch.Tensor.tolist",
            "M:TorchSharp.torch.jit.CompilationUnit.invoke(System.String,System.Object[])",
            "M:TorchSharp.torch.jit.CompilationUnit.invoke``1(System.String,System.Object[])",
            "M:TorchSharp.torch.jit.CompilationUnit.invoke``2(System.String,``0[])",
            "M:TorchSharp.torch.jit.ScriptModule.ProcessReturnValue(System.String,TorchSharp.NativeTensorOrScalarIndexedArray,TorchSharp.PInvoke.TensorOrScalar)",
            "M:TorchSharp.torch.jit.ScriptModule.ProcessReturnValue(System.String,TorchSharp.NativeTensorOrScalarIndexedArray,TorchSharp.PInvoke.TensorOrScalar[],System.Int64)",
            "M:TorchSharp.torch.jit.ScriptModule.call(System.Object[])",
            "M:TorchSharp.torch.jit.ScriptModule.forward(System.Object[])",
            "M:TorchSharp.torch.jit.ScriptModule.invoke(System.String,System.Object[])",
            "M:TorchSharp.torch.jit.ScriptModule.invoke``1(System.String,System.Object[])",
            "M:TorchSharp.torch.jit.ScriptModule.invoke``2(System.String,``0[])",
            "M:TorchSharp.torch.jit.ScriptModule`1.call(TorchSharp.torch.Tensor[])",
            "M:TorchSharp.torch.jit.ScriptModule`1.forward(TorchSharp.torch.Tensor[])",
            "M:TorchSharp.torch.jit.ScriptModule`2.call(`0)",
            "M:TorchSharp.torch.jit.ScriptModule`2.forward(`0)",
            "M:TorchSharp.torch.jit.ScriptModule`3.call(`0,`1)",
            "M:TorchSharp.torch.jit.ScriptModule`3.forward(`0,`1)",
        }, others);
    }

    [Theory]
    [InlineData("T:TorchSharp.Modules.Adam", true)]          // step, in a lambda
    [InlineData("T:TorchSharp.Modules.BatchNorm2d", true)]   // BatchNorm.forward, inherited
    [InlineData("T:TorchSharp.Modules.BatchNorm", false)]    // abstract: not created
    [InlineData("T:TorchSharp.Modules.Conv2d", false)]
    public void Known_types(string id, bool listed) => Assert.Equal(listed, TorchSharpScalarMembers.TypesWithOverridesMakingScalars.Contains(id));

    [Fact]
    public void Adam_is_listed_for_its_step()
    {
        Assert.Equal(new[] { "M:TorchSharp.Modules.Adam.step(System.Func{TorchSharp.torch.Tensor})" }, Scan.Value.OverridesByType["T:TorchSharp.Modules.Adam"]);
        Assert.Equal(new[] { "M:TorchSharp.Modules.BatchNorm.forward(TorchSharp.torch.Tensor)" }, Scan.Value.OverridesByType["T:TorchSharp.Modules.BatchNorm2d"]);
    }

    private static string TorchSharpVersion => new Version(Scan.Value.Version).ToString(3);

    private static string WriteExpected()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "TorchSharpScalarMembers.expected.cs");
        File.WriteAllText(path, MemberListFile.Render(Scan.Value, TorchSharpVersion));
        return $"The lists derived from the IL are in {path}: review the difference, then copy it over generators/AttributeGan.Analyzers/TorchSharpScalarMembers.cs.";
    }
}
