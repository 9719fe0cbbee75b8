namespace Sealpod.Runtime.Tests;

/// <summary>Exec processes and their ordering against the init process, over a fake agent.</summary>
public sealed class ExecProcessStateTests
{
    [Fact]
    public async Task Exec_needs_a_running_container_and_a_fresh_id()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.CreateContainerAsync("sbx");

        await Assert.ThrowsAsync<FailedPreconditionException>(() => container.AddExecAsync("e1", new OciProcess { Args = ["true"] }, ProcessIoPaths.None, CancellationToken.None));
        await container.Init.StartAsync();
        await container.AddExecAsync("e1", new OciProcess { Args = ["true"] }, ProcessIoPaths.None, CancellationToken.None);
        await Assert.ThrowsAsync<AlreadyExistsException>(() => container.AddExecAsync("e1", new OciProcess(), ProcessIoPaths.None, CancellationToken.None));
        await Assert.ThrowsAsync<InvalidArgumentException>(() => container.AddExecAsync("../x", new OciProcess(), ProcessIoPaths.None, CancellationToken.None));
        Assert.Throws<NotFoundException>(() => container.GetExec("nope"));
    }

    [Fact]
    public async Task Exec_runs_through_created_running_stopped_deleted()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.StartContainerAsync("sbx");
        var exec = await container.AddExecAsync("e1", new OciProcess { Args = ["sh"] }, ProcessIoPaths.None, CancellationToken.None);

        await Assert.ThrowsAsync<FailedPreconditionException>(() => exec.KillAsync(9));
        await exec.StartAsync();
        Assert.Equal(ProcessStatus.Running, exec.Status);
        await Assert.ThrowsAsync<FailedPreconditionException>(() => container.DeleteExecAsync("e1", CancellationToken.None));
        fixture.Agent.CompleteProcess("sbx", "e1", 42);
        Assert.Equal(42u, (await exec.WaitAsync()).Status);
        var deleted = await container.DeleteExecAsync("e1", CancellationToken.None);

        Assert.Equal(42u, deleted.Status);
        Assert.Contains("ExecProcess sbx e1", fixture.Agent.Calls);
        Assert.Throws<NotFoundException>(() => container.GetExec("e1"));
    }

    [Fact]
    public async Task The_exec_spec_reaches_the_agent_with_the_terminal_its_io_has()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.StartContainerAsync("sbx");
        var spec = new OciProcess { Terminal = true, Args = ["sh", "-c", "true"], Env = ["A=1"], Cwd = "/w" };
        var exec = await container.AddExecAsync("e1", spec, ProcessIoPaths.None, CancellationToken.None);

        await exec.StartAsync();

        var (containerId, execId, sent) = Assert.Single(fixture.Agent.Executed);
        Assert.Equal(("sbx", "e1"), (containerId, execId));
        Assert.False(sent.Terminal); // containerd's io has no terminal: it decides, not the spec
        Assert.Equal(spec with { Terminal = false }, sent);
        Assert.Equal(["sh", "-c", "true"], sent.Args);
    }

    [Fact]
    public async Task The_init_exit_is_published_after_the_exits_of_its_exec_processes()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.StartContainerAsync("sbx");
        var exec = await container.AddExecAsync("e1", new OciProcess { Args = ["sleep", "1000"] }, ProcessIoPaths.None, CancellationToken.None);
        await exec.StartAsync();

        fixture.Agent.CompleteProcess("sbx", "sbx", 0);
        fixture.Agent.CompleteProcess("sbx", "e1", 137);
        await container.Init.WaitAsync();
        await fixture.Publisher.WaitForAsync(e => e.OfType<TaskExited>().Count() == 2);

        Assert.Equal(
            [EventTopics.TaskStart, EventTopics.TaskExecStarted, $"{EventTopics.TaskExit} e1 137", $"{EventTopics.TaskExit} sbx 0"],
            fixture.Publisher.Topics("sbx"));
    }
}
