using System;
using Xunit;

namespace AttributeGan.Runtime.Tests.Distributed;

/// <summary>A failing rank must end the whole job quickly, never leave its peer waiting in a collective.</summary>
public class MpiFailureTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(60);

    [Fact]
    public void An_exception_on_rank_1_aborts_the_job_with_rank_and_message_on_stderr()
    {
        var job = ProbeJob.Run("throw", Limit);
        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.Equal("2", job.Value(0, "before_failure"));   // the failure came after working collectives
        Assert.Contains("rank 1 of 2 failed: System.InvalidOperationException: probe failure on purpose", job.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unreachable", job.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_rank_killed_by_SIGKILL_ends_the_job_while_its_peer_waits_in_an_all_reduce()
    {
        var job = ProbeJob.Run("die", Limit);
        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.Equal("true", job.Value(1, "dying"));
        Assert.DoesNotContain("unreachable", job.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_loadable_MPI_library_a_launched_rank_fails_telling_how_to_install_MPICH()
    {
        // As if started by mpiexec as rank 0 of 2, on a machine without MPI: the variable points the loader at nothing.
        var job = ProbeJob.RunAlone("allreduce", Limit,
            ("PMI_SIZE", "2"), ("PMI_RANK", "0"), ("ATTRIBUTEGAN_MPI_LIBRARY", "/nonexistent/libmpich.so.12"));
        Assert.True(job.ExitCode != 0, job.ToString());
        Assert.Contains("No MPI library could be loaded (tried /nonexistent/libmpich.so.12); install MPICH: apt-get install -y mpich", job.Error, StringComparison.Ordinal);
    }
}
