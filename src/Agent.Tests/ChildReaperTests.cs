namespace Sealpod.Agent.Tests;

/// <summary>Spawning with posix_spawn and reaping with the single waitpid(-1) reaper.</summary>
public sealed class ChildReaperTests
{
    [Theory]
    [InlineData("exit 0", 0, 0)]
    [InlineData("exit 3", 3, 0)]
    [InlineData("kill -TERM $$", 0, 15)]
    [InlineData("kill -KILL $$", 0, 9)]
    public async Task Exit_codes_and_signals_are_reported(string script, int code, int signal)
    {
        var child = TestProcess.Reaper.Spawn(new SpawnRequest(BusyboxRootfs.Busybox, ["sh", "-c", script]));

        var status = await child.Exited;

        Assert.Equal(new ExitStatus(code, signal), status);
        Assert.Equal(signal == 0 ? code : 128 + signal, status.ShellCode);
    }

    [Fact]
    public async Task An_orphaned_grandchild_is_reaped_and_can_be_adopted()
    {
        // The shell starts a grandchild, prints its pid and exits: the grandchild is re-parented to
        // the test process (a child subreaper), as container processes are to the agent.
        var checkpoint = TestProcess.Reaper.Checkpoint();
        var result = await TestProcess.Runner.RunAsync(new SpawnRequest(BusyboxRootfs.Busybox, ["sh", "-c", "sleep 0.3 >/dev/null 2>&1 & echo $!"]));
        var grandchild = int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        var status = await TestProcess.Reaper.Adopt(grandchild, checkpoint).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, status.ShellCode);
        Assert.False(Directory.Exists($"/proc/{grandchild}"), "the grandchild is still a zombie");
    }

    [Fact]
    public async Task Adopting_an_exit_that_was_already_reaped_completes_at_once()
    {
        var checkpoint = TestProcess.Reaper.Checkpoint();
        var result = await TestProcess.Runner.RunAsync(new SpawnRequest(BusyboxRootfs.Busybox, ["sh", "-c", "(exit 5) & echo $!; wait"]));
        var grandchild = int.Parse(result.StandardOutput.Trim(), System.Globalization.CultureInfo.InvariantCulture);

        // The shell itself waited for its child here, so only an adoption of a real orphan works:
        // a pid that is neither alive nor was reaped by the agent is an error, not a hang.
        await Assert.ThrowsAsync<InvalidOperationException>(() => TestProcess.Reaper.Adopt(grandchild, checkpoint));
    }

    [Fact]
    public async Task Children_start_with_default_signal_dispositions()
    {
        // .NET ignores SIGPIPE; a spawned child must not inherit that (SigIgn would show bit 13).
        var result = await TestProcess.Runner.RunAsync(new SpawnRequest(BusyboxRootfs.Busybox, ["sh", "-c", "grep SigIgn /proc/self/status"]));

        var mask = Convert.ToUInt64(result.StandardOutput.Split(':')[1].Trim(), 16);
        Assert.Equal(0UL, mask & (1UL << 12));
    }

    [Fact]
    public async Task Command_output_is_captured_separately()
    {
        var result = await TestProcess.Runner.RunAsync(new SpawnRequest(BusyboxRootfs.Busybox, ["sh", "-c", "echo to-out; echo to-err >&2; exit 4"]));

        Assert.Equal("to-out\n", result.StandardOutput);
        Assert.Equal("to-err\n", result.StandardError);
        Assert.Equal(4, result.Status.Code);
        Assert.False(result.Succeeded);
    }

    [Fact]
    public void A_relative_program_path_is_refused()
    {
        Assert.Throws<ArgumentException>(() => TestProcess.Reaper.Spawn(new SpawnRequest("busybox", ["true"])));
    }
}
