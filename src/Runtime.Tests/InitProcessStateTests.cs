namespace Sealpod.Runtime.Tests;

/// <summary>The init process state machine, over a fake agent (the real one needs a VM; see tests/integration).</summary>
public sealed class InitProcessStateTests
{
    [Fact]
    public async Task Start_pause_resume_follow_the_legal_edges_and_reach_the_agent()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.CreateContainerAsync("sbx");

        Assert.Equal(ProcessStatus.Created, container.Init.Status);
        await container.Init.StartAsync();
        Assert.Equal(ProcessStatus.Running, container.Init.Status);
        await container.Init.PauseAsync();
        Assert.Equal(ProcessStatus.Paused, container.Init.Status);
        await container.Init.ResumeAsync();
        Assert.Equal(ProcessStatus.Running, container.Init.Status);

        Assert.Contains("StartContainer sbx", fixture.Agent.Calls);
        Assert.Contains("PauseContainer sbx", fixture.Agent.Calls);
        Assert.Contains("ResumeContainer sbx", fixture.Agent.Calls);
    }

    [Fact]
    public async Task Illegal_calls_are_failed_preconditions_and_change_nothing()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.CreateContainerAsync("sbx");

        await Assert.ThrowsAsync<FailedPreconditionException>(() => container.Init.PauseAsync());
        await Assert.ThrowsAsync<FailedPreconditionException>(() => container.Init.ResumeAsync());
        await container.Init.StartAsync();
        var again = await Assert.ThrowsAsync<FailedPreconditionException>(() => container.Init.StartAsync());
        Assert.Contains("already running", again.Message, StringComparison.Ordinal);
        var delete = await Assert.ThrowsAsync<FailedPreconditionException>(() => container.Init.DeleteAsync());
        Assert.Contains("kill it first", delete.Message, StringComparison.Ordinal);
        await container.Init.PauseAsync();
        await Assert.ThrowsAsync<FailedPreconditionException>(() => container.Init.PauseAsync());
        await Assert.ThrowsAsync<FailedPreconditionException>(() => container.Init.DeleteAsync());
        Assert.Equal(ProcessStatus.Paused, container.Init.Status);
    }

    [Fact]
    public async Task Kill_after_exit_accepts_sigkill_and_sigterm_and_refuses_other_signals()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.StartContainerAsync("sbx");
        fixture.Agent.CompleteProcess("sbx", "sbx", 0);
        await container.Init.WaitAsync();

        await container.Init.KillAsync(Signals.SigKill, all: false);
        await container.Init.KillAsync(Signals.SigTerm, all: true);
        var error = await Assert.ThrowsAsync<NotFoundException>(() => container.Init.KillAsync(10, all: false));
        Assert.Contains("already finished", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Agent.Calls, c => c.StartsWith("SignalProcess", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Kill_with_all_signals_every_process_through_an_empty_exec_id()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.StartContainerAsync("sbx");

        await container.Init.KillAsync(15, all: false);
        await container.Init.KillAsync(9, all: true);

        Assert.Contains("SignalProcess sbx 'sbx' 15", fixture.Agent.Calls);
        Assert.Contains("SignalProcess sbx '' 9", fixture.Agent.Calls);
    }

    [Fact]
    public async Task A_deleted_process_is_not_found_for_every_call()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.StartContainerAsync("sbx");
        fixture.Agent.CompleteProcess("sbx", "sbx", 3);
        var exit = await container.Init.WaitAsync();
        var deleted = await container.Init.DeleteAsync();

        Assert.Equal(3u, exit.Status);
        Assert.Equal(exit, deleted);
        Assert.Equal(ProcessStatus.Deleted, container.Init.Status);
        await Assert.ThrowsAsync<NotFoundException>(() => container.Init.StartAsync());
        await Assert.ThrowsAsync<NotFoundException>(() => container.Init.KillAsync(9, false));
        await Assert.ThrowsAsync<NotFoundException>(() => container.Init.DeleteAsync());
        Assert.Throws<NotFoundException>(() => container.Init.CloseStdin());
    }

    [Fact]
    public async Task An_exit_during_start_is_published_after_the_start()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.CreateContainerAsync("sbx");
        fixture.Agent.ExitDuringStart = 7;

        await container.Init.StartAsync();
        await container.Init.WaitAsync();
        await fixture.Publisher.WaitForAsync(e => e.OfType<TaskExited>().Any());

        Assert.Equal([EventTopics.TaskStart, $"{EventTopics.TaskExit} sbx 7"], fixture.Publisher.Topics("sbx"));
    }

    [Fact]
    public async Task A_never_started_process_exits_with_the_vm()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.CreateContainerAsync("sbx");

        fixture.Vm.Crash();
        var exit = await container.Init.WaitAsync();

        Assert.Equal(ExitResult.VmDiedStatus, exit.Status);
        Assert.Equal(ProcessStatus.Stopped, container.Init.Status);
        Assert.True(fixture.Sandbox.VmExited);
    }

    [Fact]
    public async Task A_running_process_whose_agent_dies_exits_255()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.StartContainerAsync("sbx");

        await fixture.Agent.Dead.CancelAsync();
        var exit = await container.Init.WaitAsync();

        Assert.Equal(255u, exit.Status);
        await fixture.Publisher.WaitForAsync(e => e.OfType<TaskExited>().Any());
        Assert.Equal([EventTopics.TaskStart, $"{EventTopics.TaskExit} sbx 255"], fixture.Publisher.Topics("sbx"));
    }
}
