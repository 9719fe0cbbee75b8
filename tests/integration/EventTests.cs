namespace Sealpod.IntegrationTests;

/// <summary>The events containerd receives from the shim, as <c>ctr events</c> shows them, in order.</summary>
public sealed class EventTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task Task_and_exec_events_arrive_in_lifecycle_order()
    {
        var (_, lines) = await WithEventsAsync(
            async () =>
            {
                Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], "ev1", ["sleep", "1000"])).ExitCode);
                Assert.Equal(0, (await containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", "x1", "ev1", "true"])).ExitCode);
                Assert.Equal(0, (await containerd.Ctr(["tasks", "pause", "ev1"])).ExitCode);
                Assert.Equal(0, (await containerd.Ctr(["tasks", "resume", "ev1"])).ExitCode);
                Assert.Equal(0, (await containerd.Ctr(["tasks", "kill", "-s", "SIGKILL", "ev1"])).ExitCode);
                await containerd.WaitForStatusAsync("ev1", "STOPPED", TimeSpan.FromSeconds(30));
                Assert.Equal(0, (await containerd.Ctr(["tasks", "rm", "ev1"])).ExitCode);
                return await containerd.Ctr(["containers", "rm", "ev1"]);
            },
            done: topics => topics.Count(t => t == "/tasks/delete") >= 2,
            "ev1");

        Assert.Equal(
            // The exec's exit and delete (ctr removes the exec when it ends), then the container's.
            ["/tasks/create", "/tasks/start", "/tasks/exec-added", "/tasks/exec-started", "/tasks/exit", "/tasks/delete", "/tasks/paused", "/tasks/resumed", "/tasks/exit", "/tasks/delete"],
            Topics(lines, "ev1"));
        await containerd.AssertNothingLeftAsync("ev1");
    }

    [Fact]
    public async Task A_container_over_its_memory_limit_is_reported_oom_then_exits_137()
    {
        // One process doubling a string: it passes 32 MiB in a few steps, and no other process of the container runs
        // meanwhile (the shell only waits for it, then gives the OOM event a second's head start over the exit). A
        // pipeline growing a line (head | tr | grep) could livelock the guest's memcg instead: while any page can be
        // reclaimed the kernel retries the charge rather than OOM-killing (mm/memcontrol.c try_charge_memcg), and the
        // pipeline's processes keep evicting and faulting back each other's text pages (the likeliest cause of a CI run
        // that hung here for 300 s).
        var (run, lines) = await WithEventsAsync(() => containerd.Run(
            ["--rm", "--memory-limit", "33554432"], "oom1", ["sh", "-c", "awk 'BEGIN { s = \"xxxxxxxx\"; while (1) s = s s }'; e=$?; sleep 1; exit $e"], timeout: TimeSpan.FromMinutes(5)),
            done: topics => topics.Contains("/tasks/delete"), "oom1");

        Assert.Equal(137, run.ExitCode);
        var topics = Topics(lines, "oom1");
        Assert.Contains("/tasks/oom", topics);
        Assert.True(topics.IndexOf("/tasks/oom") < topics.IndexOf("/tasks/exit"), string.Join(", ", topics));
        await containerd.AssertNothingLeftAsync("oom1");
    }

    private Task<(CommandResult Result, IReadOnlyList<string> Lines)> WithEventsAsync(Func<Task<CommandResult>> action, Func<List<string>, bool> done, string id) =>
        containerd.CollectEventsAsync(action, lines => done(Topics(lines, id)));

    // "TIMESTAMP NAMESPACE TOPIC {json}" for this namespace's task events of one container.
    private static List<string> Topics(IReadOnlyList<string> lines, string id) =>
        lines.Where(l => l.Contains($" {PrivateContainerd.Namespace} /tasks/", StringComparison.Ordinal) && l.Contains($"\"{id}\"", StringComparison.Ordinal))
            .Select(l => l.Split(' ').First(f => f.StartsWith("/tasks/", StringComparison.Ordinal)))
            .ToList();
}
