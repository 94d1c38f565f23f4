using System.Linq;
using Xunit;
using static AttributeGan.Analyzers.Tests.AnalyzerHarness;

namespace AttributeGan.Analyzers.Tests;

/// <summary>
/// Each rule on the forms that made the training failures (docs/results/scalar-lifetime.md), and silence on the forms
/// the fix uses. Snippets are class bodies; the prelude declares a stand-in <c>Scalars</c> (One, Half, Of).
/// </summary>
public sealed class ScalarLifetimeAnalyzerTests
{
    private static string[] Flagged(string classBody) => Analyze("class C\n{\n" + classBody + "\n}\n").Select(Describe).ToArray();

    private static string Message(string classBody) => Assert.Single(Analyze("class C\n{\n" + classBody + "\n}\n")).GetMessage();

    // AGS001: a temporary Scalar made here.

    [Fact]
    public void Clamp_with_numbers_makes_two_temporaries()
    {
        Assert.Equal(new[] { "AGS001 `-1`", "AGS001 `1`" }, Flagged("Tensor F(Tensor x) => x.clamp(-1, 1);"));
    }

    [Fact]
    public void The_message_names_the_conversion_and_the_fix()
    {
        Assert.Equal(
            "The implicit conversion of 0.5 to Scalar makes a temporary that the garbage collector may free while libtorch reads it; " +
            "use Scalars.Of(0.5) for a constant, or hold it with 'using var s = value.ToScalar();'",
            Message("Tensor F(Tensor x) => x.mul(0.5);"));
        Assert.Equal(
            "The implicit conversion of k to Scalar makes a temporary that the garbage collector may free while libtorch reads it; " +
            "hold it for the call with 'using var s = k.ToScalar();', or use Scalars.Of(...) for a constant",
            Message("Tensor F(Tensor x, double k) => x.mul(k);"));
    }

    [Fact]
    public void ToScalar_passed_inline_is_a_temporary()
    {
        Assert.Equal(new[] { "AGS001 `0.5.ToScalar()`" }, Flagged("Tensor F(Tensor x) => x.mul(0.5.ToScalar());"));
        Assert.StartsWith("'0.5.ToScalar()' makes a temporary", Message("Tensor F(Tensor x) => x.mul(0.5.ToScalar());"));
    }

    [Fact]
    public void A_local_without_using_and_a_cast_are_temporaries()
    {
        Assert.Equal(new[] { "AGS001 `0.5`" }, Flagged("Tensor F(Tensor x) { Scalar s = 0.5; return x.mul(s); }"));
        Assert.Equal(new[] { "AGS001 `(Scalar)0.5`" }, Flagged("Tensor F(Tensor x) => x.mul((Scalar)0.5);"));
        Assert.StartsWith("The conversion of 0.5 to Scalar", Message("Tensor F(Tensor x) => x.mul((Scalar)0.5);"));
    }

    [Theory]
    [InlineData("Tensor F(Tensor x) { using var s = 0.5.ToScalar(); return x.mul(s); }")]
    [InlineData("Tensor F(Tensor x) { using (var s = 0.5.ToScalar()) { return x.mul(s); } }")]
    [InlineData("Tensor F(Tensor x) { using Scalar s = 0.5; return x.mul(s); }")]
    [InlineData("static readonly Scalar Quarter = 0.25; Tensor F(Tensor x) => x.mul(Quarter);")]
    [InlineData("static Scalar Eighth { get; } = 0.125.ToScalar(); Tensor F(Tensor x) => x.mul(Eighth);")]
    [InlineData("Scalar? held; void Set(double v) { held = v.ToScalar(); }")]
    [InlineData("Scalar Make(double v) => v.ToScalar();")]
    [InlineData("Scalar Make() { return 1; }")]
    [InlineData("System.Func<Scalar> make = () => 0.5;")]
    [InlineData("Tensor F(Tensor x) => x.mul(Scalars.Of(0.5)).mul(Scalars.Half);")]
    public void Held_Scalars_are_not_flagged(string classBody) => Assert.Empty(Flagged(classBody));

    [Fact]
    public void A_tensors_ToScalar_passed_on_is_a_temporary()
    {
        // Tensor.ToScalar() constructs the Scalar it returns (newobj Scalar::.ctor(IntPtr)): the caller must hold it.
        const string body = "double F(Tensor t) => t.ToScalar().ToDouble();";
        Assert.Equal(new[] { "AGS001 `t.ToScalar()`" }, Flagged(body));
        Assert.Equal(
            "'t.ToScalar()' makes a temporary that the garbage collector may free while libtorch reads it; hold it for the call with " +
            "'using var s = t.ToScalar();', or read the number without a Scalar: t.to(ScalarType.Float64).item<double>() is what " +
            "t.ToScalar().ToDouble() returns",
            Message(body));
        Assert.Equal(new[] { "AGS001 `t.ToScalar()`" }, Flagged("Tensor F(Tensor x, Tensor t) => x.mul(t.ToScalar());"));
    }

    [Theory]
    [InlineData("Scalar F(Tensor t) => t.ToScalar();")]
    [InlineData("double F(Tensor t) { using var s = t.ToScalar(); return s.ToDouble(); }")]
    [InlineData("Scalar? held; void Set(Tensor t) { held = t.ToScalar(); }")]
    public void A_tensors_ToScalar_held_is_not_flagged(string classBody) => Assert.Empty(Flagged(classBody));

    // AGS002: a TorchSharp member that makes a temporary Scalar inside.

    [Fact]
    public void ToDouble_reads_a_Scalar_it_drops()
    {
        // TensorExtensionMethods.ToDouble(t) is t.ToScalar().ToDouble(): the Scalar dies inside, unheld while libtorch reads it.
        const string body = "double F(Tensor t) => t.ToDouble();";
        Assert.Equal(new[] { "AGS002 `t.ToDouble()`" }, Flagged(body));
        Assert.Equal(
            "'TensorExtensionMethods.ToDouble(torch.Tensor)' makes a temporary Scalar inside TorchSharp that the garbage collector may free " +
            "while libtorch reads it; use t.to(ScalarType.Float64).item<double>(), the same value read without a Scalar " +
            "(t.item<double>() alone throws unless the tensor is Float64 already)",
            Message(body));
    }

    [Theory]
    [InlineData("float F(Tensor t) => t.ToSingle();", "t.ToSingle()", "use t.to(ScalarType.Float32).item<float>()")]
    [InlineData("long F(Tensor t) => t.ToInt64();", "t.ToInt64()", "use t.to(ScalarType.Int64).item<long>()")]
    [InlineData("int F(Tensor t) => t.ToInt32();", "t.ToInt32()", "use t.to(ScalarType.Int32).item<int>()")]
    [InlineData("bool F(Tensor t) => t.ToBoolean();", "t.ToBoolean()", "use t.to(ScalarType.Bool).item<bool>()")]
    [InlineData("double F(Tensor t) => (double)t;", "(double)t", "use t.to(ScalarType.Float64).item<double>()")]
    [InlineData("float F(Tensor t) => (float)t;", "(float)t", "use t.to(ScalarType.Float32).item<float>()")]
    [InlineData("float F(Tensor x) => x.mean().ToSingle();", "x.mean().ToSingle()", "use x.mean().to(ScalarType.Float32).item<float>()")]
    [InlineData("double F(Tensor a, Tensor b) => (a - b).abs().max().ToDouble();", "(a - b).abs().max().ToDouble()",
        "use (a - b).abs().max().to(ScalarType.Float64).item<double>()")]
    [InlineData("double F(Tensor a, Tensor b) => ((double)(a - b));", "(double)(a - b)", "use (a - b).to(ScalarType.Float64).item<double>()")]
    [InlineData("System.Func<double> F(Tensor t) => t.ToDouble;", "t.ToDouble", "use t.to(ScalarType.Float64).item<double>()")]
    [InlineData("string F(Tensor t) => t.metastr();", "t.metastr()", "use t.ToString(), the same metadata string")]
    [InlineData("string F(Tensor t) => t.str();", "t.str()", "printing a tensor's values reads each through a temporary Scalar")]
    [InlineData("string F(Tensor t) => t.ToString(true);", "t.ToString(true)", "printing a tensor's values reads each through a temporary Scalar")]
    public void Reading_a_tensor_through_a_Scalar(string classBody, string flagged, string advice)
    {
        Assert.Equal(new[] { $"AGS002 `{flagged}`" }, Flagged(classBody));
        Assert.Contains("; " + advice, Message(classBody));
    }

    [Theory]
    [InlineData("double F(Tensor t) => t.item<double>();")]
    [InlineData("double F(Tensor t) => t.to(ScalarType.Float64).item<double>();")]
    [InlineData("float F(Tensor t) => t.to(ScalarType.Float32).item<float>();")]
    [InlineData("long F(Tensor t) => t.to(ScalarType.Int64).item<long>();")]
    [InlineData("float F(Tensor t) => t.data<float>()[0];")]
    [InlineData("string F(Tensor t) => t.ToString();")]
    [InlineData("string F(Tensor t) => $\"{t}\";")]
    public void Reading_a_tensor_without_a_Scalar_is_not_flagged(string classBody) => Assert.Empty(Flagged(classBody));

    [Fact]
    public void Tensor_plus_tensor_is_add_with_a_temporary_alpha()
    {
        Assert.Equal(new[] { "AGS002 `a + b`" }, Flagged("Tensor F(Tensor a, Tensor b) => a + b;"));
        Assert.Equal(
            "'torch.Tensor.operator +(torch.Tensor, torch.Tensor)' makes a temporary Scalar inside TorchSharp that the garbage collector " +
            "may free while libtorch reads it; use a.add(b, Scalars.One)",
            Message("Tensor F(Tensor a, Tensor b) => a + b;"));
    }

    [Theory]
    [InlineData("Tensor F(Tensor x) => x * 0.5;", "x * 0.5", "use x.mul(Scalars.Of(k))")]
    [InlineData("Tensor F(Tensor x) => 0.5 * x;", "0.5 * x", "use x.mul(Scalars.Of(k))")]
    [InlineData("Tensor F(Tensor x) => x + 1;", "x + 1", "use x.add(Scalars.Of(k), Scalars.One)")]
    [InlineData("Tensor F(Tensor x) => 2 - x;", "2 - x", "use x.negative().add(Scalars.Of(k), Scalars.One)")]
    [InlineData("Tensor F(Tensor x) => x / 4;", "x / 4", "use x.div(Scalars.Of(k))")]
    [InlineData("Tensor F(Tensor x) => 1 / x;", "1 / x", "use x.reciprocal().mul(Scalars.Of(k))")]
    [InlineData("Tensor F(Tensor x) { x -= 1f; return x; }", "x -= 1f", "use x.sub(Scalars.Of(k))")]
    [InlineData("Tensor F(Tensor x) => nn.functional.leaky_relu(x, 0.2);", "nn.functional.leaky_relu(x, 0.2)", "use x.leaky_relu(Scalars.Of(slope))")]
    [InlineData("Tensor F(Tensor x) => x.square();", "x.square()", "use x.pow(Scalars.Of(2))")]
    [InlineData("Tensor F(Tensor x) => x.add(Scalars.Half);", "x.add(Scalars.Half)", "use x.add(s, Scalars.One)")]
    [InlineData("Tensor F(Tensor a, Tensor b) => a.add(b);", "a.add(b)", "use a.add(b, Scalars.One)")]
    [InlineData("Tensor F(Tensor x) => x.softplus(1, 20);", "x.softplus(1, 20)", "call an overload that takes a Scalar")]
    [InlineData("System.Func<Tensor> F(Tensor x) => x.square;", "x.square", "use x.pow(Scalars.Of(2))")]
    [InlineData("Tensor F(Scalar n) => torch.arange(n);", "torch.arange(n)", "use torch.arange(Scalars.Zero, stop, Scalars.One, ...)")]
    public void Members_that_make_a_Scalar_inside(string classBody, string flagged, string advice)
    {
        Assert.Equal(new[] { $"AGS002 `{flagged}`" }, Flagged(classBody));
        Assert.Contains("; " + advice, Message(classBody));
    }

    [Fact]
    public void A_property_is_checked_through_its_getter()
    {
        Assert.Equal(new[] { "AGS002 `d.logits`" }, Flagged("Tensor F(Bernoulli d) => d.logits;"));
    }

    [Fact]
    public void A_virtual_call_of_a_listed_override_is_left_to_where_the_object_is_made()
    {
        // The Adam may be a ScalarSafe.Adam; whether it is was decided (and flagged, AGS003) where it was created.
        Assert.Empty(Flagged("Tensor F(Adam a) => a.step(); Tensor G(Normal n) => n.variance;"));
    }

    [Fact]
    public void A_base_call_of_a_listed_override_runs_it()
    {
        var found = Analyze("""
            class Stepped : Adam
            {
                public Stepped(IEnumerable<Parameter> p) : base(p, 1e-3, 0.9, 0.999, 1e-8, 0, false, false) { }
                public override Tensor step(System.Func<Tensor>? closure = null) => base.step(closure);
            }
            """);
        Assert.Equal(new[] { "AGS002 `base.step(closure)`" }, found.Select(Describe));
        Assert.EndsWith("; use AttributeGan.Runtime.Training.ScalarSafe.Adam", found[0].GetMessage());
    }

    [Theory]
    [InlineData("Tensor F(Tensor a, Tensor b) => a.add(b, Scalars.One);")]
    [InlineData("Tensor F(Tensor a, Tensor b) => a - b;")]
    [InlineData("Tensor F(Tensor a, Tensor b) => a * b;")]
    [InlineData("Tensor F(Tensor a, Tensor b) => a / b;")]
    [InlineData("Tensor F(Tensor x) => x.mul(Scalars.Half).sub(Scalars.One).add(Scalars.Half, Scalars.One);")]
    [InlineData("Tensor F(Tensor x) => x.leaky_relu(Scalars.Of(0.2));")]
    public void Safe_tensor_arithmetic_is_not_flagged(string classBody) => Assert.Empty(Flagged(classBody));

    // AGS003: a TorchSharp type whose own overrides make temporary Scalars.

    [Fact]
    public void Adam_from_the_factory_is_flagged_for_its_step()
    {
        const string body = "Adam F(Linear l) => torch.optim.Adam(l.parameters());";
        Assert.Equal(new[] { "AGS003 `torch.optim.Adam(l.parameters())`" }, Flagged(body));
        Assert.Equal(
            "'optim.Adam(...)' creates TorchSharp.Modules.Adam: its step makes temporary Scalars that the garbage collector may free while " +
            "libtorch reads them; use AttributeGan.Runtime.Training.ScalarSafe.Adam, or suppress with a justification if it only runs where " +
            "that path is not taken",
            Message(body));
    }

    [Fact]
    public void BatchNorm2d_is_flagged_for_the_forward_it_inherits()
    {
        const string body = "BatchNorm2d F() => nn.BatchNorm2d(8);";
        Assert.Equal(new[] { "AGS003 `nn.BatchNorm2d(8)`" }, Flagged(body));
        Assert.Contains("its forward makes temporary Scalars", Message(body));
    }

    private const string AdamSubclass = """
        class MyAdam : Adam
        {
            public MyAdam(IEnumerable<Parameter> p) : base(p, 1e-3, 0.9, 0.999, 1e-8, 0, false, false) { }
            OVERRIDE
        }
        class D { Adam F(Linear l) => new MyAdam(l.parameters()); }
        """;

    [Fact]
    public void A_subclass_that_keeps_the_step_is_flagged_as_what_it_is()
    {
        var found = Analyze(AdamSubclass.Replace("OVERRIDE", ""));
        Assert.Equal(new[] { "AGS003 `new MyAdam(l.parameters())`" }, found.Select(Describe));
        Assert.StartsWith("Creating MyAdam (a TorchSharp.Modules.Adam): its step makes", found[0].GetMessage());
    }

    [Fact]
    public void A_subclass_that_overrides_the_step_is_not_flagged()
    {
        // What ScalarSafe.Adam does: the step TorchSharp dispatches to is no longer Adam's.
        Assert.Empty(Analyze(AdamSubclass.Replace("OVERRIDE", "public override Tensor step(System.Func<Tensor>? closure = null) => closure!();")));
    }

    [Fact]
    public void A_pragma_suppresses_AGS003()
    {
        const string body = "Adam F(Linear l) => torch.optim.Adam(l.parameters());";
        Assert.Equal(new[] { "AGS003 `torch.optim.Adam(l.parameters())`" }, Flagged(body));
        Assert.Empty(Flagged("#pragma warning disable AGS003 // evaluation only: never stepped in training\n" + body + "\n#pragma warning restore AGS003"));
    }

    [Fact]
    public void Every_rule_is_an_error_in_the_Reliability_category()
    {
        foreach (var rule in new ScalarLifetimeAnalyzer().SupportedDiagnostics)
        {
            Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Error, rule.DefaultSeverity);
            Assert.Equal("Reliability", rule.Category);
        }
    }
}
