using AttributeGan.Runtime.Training;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace AttributeGan.Runtime.Tests.Training;

public sealed class FrozenParametersTests
{
    [Fact]
    public void Frozen_weights_get_no_gradient_while_the_input_still_does_and_flags_come_back()
    {
        torch.manual_seed(3);
        using var scope = NewDisposeScope();
        using var layer = nn.Linear(4, 2);
        layer.bias!.requires_grad = false;   // a parameter frozen before stays frozen after
        var x = randn(3, 4).requires_grad_(true);

        using (FrozenParameters.Of(layer))
        {
            Assert.False(layer.weight!.requires_grad);
            layer.call(x).sum().backward();
        }

        Assert.Null(layer.weight!.grad);
        Assert.NotNull(x.grad);
        Assert.True(layer.weight.requires_grad);
        Assert.False(layer.bias.requires_grad);
    }
}
