using AttributeGan.Models.Blocks;
using TorchSharp;
using Xunit;
using static AttributeGan.Models.Tests.BlockTestHelpers;
using static TorchSharp.torch;

namespace AttributeGan.Models.Tests;

/// <summary>Blocks built inside a dispose scope (e.g. a training step) keep their own tensors after the scope ends.</summary>
public sealed class ModuleLifetimeTests
{
    [Fact]
    public void BlocksBuiltInsideADisposeScopeSurviveIt()
    {
        torch.manual_seed(51);
        Blur blur;
        EfficientAttention attention;
        UpBlock up;
        using (torch.NewDisposeScope())
        {
            blur = new Blur(4);
            attention = new EfficientAttention(4, 2, 3, 2);
            up = new UpBlock(4, 4, blur: true, NormKind.Batch);
        }

        using (blur)
        using (attention)
        using (up)
        using (torch.NewDisposeScope())
        {
            var x = torch.randn(2, 4, 4, 4);
            AssertShape(blur.call(x), 2, 4, 4, 4);
            AssertShape(attention.call(x), 2, 4, 4, 4);
            AssertShape(up.call(x), 2, 4, 8, 8);
            Assert.Equal(145L, ParameterCount(attention));
            Assert.Equal(1e-3f, Values(attention, "gamma")[0], 1e-9);
        }
    }
}
