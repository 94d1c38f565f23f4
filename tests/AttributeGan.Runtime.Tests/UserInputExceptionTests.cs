using System;
using AttributeGan.Runtime.Checkpoints;
using AttributeGan.Runtime.Data;
using AttributeGan.Runtime.Distributed;
using AttributeGan.Runtime.Numerics;
using AttributeGan.Runtime.Training;
using Xunit;

namespace AttributeGan.Runtime.Tests;

/// <summary>
/// A front end catches <see cref="UserInputException"/> for every mistake in what the user gave (the CLI: exit code 2);
/// a diverged run and a failed numerics check are not such mistakes and keep their own exit codes (3, 4).
/// </summary>
public class UserInputExceptionTests
{
    [Theory]
    [InlineData(typeof(CheckpointException))]
    [InlineData(typeof(DataSetException))]
    [InlineData(typeof(DistributedMismatchException))]
    public void Mistakes_in_the_users_input_share_one_base(Type error) => Assert.True(error.IsSubclassOf(typeof(UserInputException)));

    [Theory]
    [InlineData(typeof(TrainingDivergedException))]
    [InlineData(typeof(NumericsCheckException))]
    public void Failures_with_their_own_exit_code_are_not_user_input_errors(Type error) => Assert.False(error.IsSubclassOf(typeof(UserInputException)));

    [Fact]
    public void The_base_carries_the_message_and_the_cause()
    {
        var cause = new System.IO.IOException("disk");
        var error = new CheckpointException("run/step-1.ckpt is damaged", cause, damaged: true);
        UserInputException asBase = error;
        Assert.Equal("run/step-1.ckpt is damaged", asBase.Message);
        Assert.Same(cause, asBase.InnerException);
    }
}
