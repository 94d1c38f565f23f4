using System;
using AttributeGan.Runtime.Distributed;
using Xunit;

namespace AttributeGan.Runtime.Tests.Distributed;

public class CollectivesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("1")]
    public void Outside_a_multi_rank_launch_the_engine_is_the_single_process_one(string? pmiSize)
    {
        var saved = Environment.GetEnvironmentVariable("PMI_SIZE");
        try
        {
            Environment.SetEnvironmentVariable("PMI_SIZE", pmiSize);
            Assert.Same(SingleProcessCollectives.Instance, Collectives.FromEnvironment());
        }
        finally
        {
            Environment.SetEnvironmentVariable("PMI_SIZE", saved);
        }
    }

    [Fact]
    public void A_malformed_launcher_size_is_an_error_naming_it()
    {
        var saved = Environment.GetEnvironmentVariable("PMI_SIZE");
        try
        {
            Environment.SetEnvironmentVariable("PMI_SIZE", "two");
            var error = Assert.Throws<InvalidOperationException>(() => Collectives.FromEnvironment());
            Assert.Contains("PMI_SIZE is 'two'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PMI_SIZE", saved);
        }
    }

    [Fact]
    public void A_job_started_by_Open_MPI_is_refused_with_the_MPICH_command()
    {
        var saved = Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE");
        try
        {
            Environment.SetEnvironmentVariable("OMPI_COMM_WORLD_SIZE", "2");
            var error = Assert.Throws<InvalidOperationException>(() => Collectives.FromEnvironment());
            Assert.Contains("mpiexec.mpich -n 2", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("OMPI_COMM_WORLD_SIZE", saved);
        }
    }

    [Fact]
    public void In_a_single_process_RunOrAbort_returns_the_result_and_lets_exceptions_through()
    {
        Assert.Equal(42, Collectives.RunOrAbort(SingleProcessCollectives.Instance, () => 42));
        var thrown = new InvalidOperationException("boom");
        var caught = Assert.Throws<InvalidOperationException>(() => Collectives.RunOrAbort(SingleProcessCollectives.Instance, () => throw thrown));
        Assert.Same(thrown, caught);
    }

    [Fact]
    public void With_several_ranks_RunOrAbort_aborts_the_job_naming_rank_type_and_message()
    {
        var aborted = Assert.Throws<AbortedException>(() =>
            Collectives.RunOrAbort(new TwinRankCollectives(), () => throw new InvalidOperationException("boom"), exitCode: 7));
        Assert.Equal(7, aborted.ExitCode);
        Assert.StartsWith("rank 0 of 2 failed: System.InvalidOperationException: boom", aborted.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => Collectives.RunOrAbort(new TwinRankCollectives(), () => { }, exitCode: 0));
    }
}
