using Sealpod.IntegrationTests.Containerd.Tasks.V1;
using Sealpod.Protos;

namespace Sealpod.IntegrationTests;

/// <summary>The task subcommands against a running container: exec, pause/resume, metrics, kill, rm.</summary>
public sealed class TaskTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task Exec_pause_resume_metrics_kill_and_rm()
    {
        var run = await containerd.Run(["-d", "--null-io"], "task1", ["sleep", "1000"]);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        await containerd.WaitForStatusAsync("task1", "RUNNING", TimeSpan.FromSeconds(60));

        var exec = await containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", "x1", "task1", "sh", "-c", "echo from-exec; uname -r; exit 3"]);
        Assert.Equal(3, exec.ExitCode);
        Assert.Contains("from-exec", exec.Text, StringComparison.Ordinal);

        Assert.Equal(0, (await containerd.Ctr(["tasks", "pause", "task1"])).ExitCode);
        Assert.Equal("PAUSED", (await containerd.TaskAsync("task1"))?.Status);
        Assert.Equal(0, (await containerd.Ctr(["tasks", "resume", "task1"])).ExitCode);
        Assert.Equal("RUNNING", (await containerd.TaskAsync("task1"))?.Status);

        var metrics = await containerd.Ctr(["tasks", "metrics", "task1"]);
        Assert.True(metrics.ExitCode == 0, metrics.ToString());
        Assert.Matches(@"pids\.current\s+[1-9]", metrics.Text);
        Assert.Matches(@"memory\.usage_in_bytes\s+[1-9]", metrics.Text);

        await containerd.KillAndRemoveAsync("task1", strict: true);
        await containerd.AssertNothingLeftAsync("task1");
    }

    [Fact]
    public async Task Ps_shows_the_hypervisor_pid_and_unknown_tasks_are_not_found()
    {
        Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], "task2", ["sleep", "1000"])).ExitCode);
        var task = await containerd.TaskAsync("task2");

        var ps = await containerd.Ctr(["tasks", "ps", "task2"]);
        string hypervisor = File.ReadAllText($"/proc/{task!.Value.Pid}/cmdline");
        var missing = await containerd.Ctr(["tasks", "kill", "nosuchtask"]);

        Assert.Contains(task.Value.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture), ps.Text, StringComparison.Ordinal);
        Assert.Contains("qemu-system", hypervisor, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("not found", missing.Stderr, StringComparison.Ordinal);

        await containerd.KillAndRemoveAsync("task2");
        await containerd.AssertNothingLeftAsync("task2");
    }

    [Fact]
    public async Task Update_applies_new_limits_to_the_containers_cgroup_in_the_guest()
    {
        Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], "upd1", ["sleep", "1000"])).ExitCode);
        Assert.Equal(["max", "max"], await LimitsAsync("u1"));

        // ctr 1.6 has no `tasks update`: containerd's own Tasks.Update, which hands the resources to the shim unchanged.
        using (var channel = containerd.OpenChannel())
        {
            var tasks = new Tasks.TasksClient(channel);
            var update = new UpdateTaskRequest
            {
                ContainerId = "upd1",
                Resources = new Any { TypeUrl = TypeUrls.OciLinuxResources, Value = ByteString.CopyFromUtf8("""{"memory":{"limit":67108864},"pids":{"limit":99}}""") },
            };
            await containerd.CallAsync("/containerd.services.tasks.v1.Tasks/Update", options => tasks.UpdateAsync(update, options));
        }

        Assert.Equal(["67108864", "99"], await LimitsAsync("u2"));
        await containerd.KillAndRemoveAsync("upd1");
        await containerd.AssertNothingLeftAsync("upd1");
    }

    // memory.max and pids.max of the container's own cgroup, read from inside it.
    private async Task<string[]> LimitsAsync(string execId)
    {
        var read = await containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", execId, "upd1",
            "sh", "-c", "d=/sys/fs/cgroup$(cut -d: -f3 /proc/self/cgroup); cat $d/memory.max $d/pids.max"]);
        Assert.True(read.ExitCode == 0, read.ToString());
        return read.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }
}
