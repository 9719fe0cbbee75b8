namespace Sealpod.Runtime.Tests;

/// <summary>
/// Stopping a sandbox when steps of its cleanup fail (fake VM and agent made to fail on close, real virtio-fs
/// share and mounts): the later steps still run, and every failure is reported together.
/// </summary>
public sealed class SandboxCleanupTests
{
    [Fact]
    public void Every_step_runs_and_the_failures_come_back_together()
    {
        var cleanup = new CleanupSteps("sandbox s1");
        var ran = new List<string>();

        cleanup.Run("first", () => throw new IOException("socket busy"));
        cleanup.Run("second", () => ran.Add("second"));
        cleanup.Run("third", () => throw new InvalidOperationException("still mounted"));

        var error = Assert.Throws<AggregateException>(cleanup.ThrowIfAny);
        Assert.Equal(["second"], ran);
        Assert.Equal(["first", "third"], error.InnerExceptions.Cast<CleanupStepFailedException>().Select(f => f.Step));
        Assert.Contains("sandbox s1: 2 cleanup step(s) failed: first: socket busy; third: still mounted", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asynchronous_steps_are_collected_too_and_nothing_failed_throws_nothing()
    {
        var cleanup = new CleanupSteps("sandbox s1");

        await cleanup.RunAsync("ok", () => Task.CompletedTask);
        cleanup.ThrowIfAny();
        await cleanup.RunAsync("agent", () => Task.FromException(new IOException("broken pipe")));

        var failure = Assert.Single(Assert.Throws<AggregateException>(cleanup.ThrowIfAny).InnerExceptions);
        Assert.IsType<IOException>(failure.InnerException);
    }

    [Fact]
    [Trait("Category", "Root")]
    public async Task A_failing_agent_close_and_vm_release_still_leave_the_share_unmounted_and_the_directory_gone()
    {
        await using var fixture = await SandboxFixture.StartAsync(virtioFs: true);
        var host = Directory.CreateDirectory(Path.Combine(fixture.Work, "host-data")).FullName;
        await File.WriteAllTextAsync(Path.Combine(host, "inside"), "host data\n");
        await fixture.CreateContainerAsync("sbx", specJson: SampleSpecs.Full(Path.Combine(host, "inside"), host));
        fixture.Agent.DisposeError = new IOException("the agent socket would not close");
        fixture.Vm.DisposeError = new InvalidOperationException("the VM's files are busy");

        var error = await Assert.ThrowsAsync<AggregateException>(async () => await fixture.Sandbox.DisposeAsync());

        Assert.Equal(["close the agent connection", "release the VM"], error.InnerExceptions.Cast<CleanupStepFailedException>().Select(f => f.Step));
        Assert.Contains("the agent socket would not close", error.Message, StringComparison.Ordinal);
        Assert.Contains("the VM's files are busy", error.Message, StringComparison.Ordinal);
        var run = Path.Combine(fixture.Work, "run");
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), line => line.Split(' ')[4].StartsWith(fixture.Work, StringComparison.Ordinal));
        Assert.False(Directory.Exists(run));
        Assert.Equal("host data\n", await File.ReadAllTextAsync(Path.Combine(host, "inside")));
    }
}
