using System.Diagnostics;

namespace Sealpod.IntegrationTests;

/// <summary>The events containerd receives from the shim, as <c>ctr events</c> shows them, in order.</summary>
public sealed class EventTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task Task_and_exec_events_arrive_in_lifecycle_order()
    {
        var start = new ProcessStartInfo("ctr", ["--address", containerd.Socket, "events"]) { RedirectStandardOutput = true };
        using var events = Process.Start(start)!;
        var lines = new List<string>();
        var reader = Task.Run(async () =>
        {
            string? line;
            while ((line = await events.StandardOutput.ReadLineAsync()) is not null)
            {
                lock (lines)
                {
                    lines.Add(line);
                }
            }
        });
        try
        {
            Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], "ev1", ["sleep", "1000"])).ExitCode);
            Assert.Equal(0, (await containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", "x1", "ev1", "true"])).ExitCode);
            Assert.Equal(0, (await containerd.Ctr(["tasks", "pause", "ev1"])).ExitCode);
            Assert.Equal(0, (await containerd.Ctr(["tasks", "resume", "ev1"])).ExitCode);
            Assert.Equal(0, (await containerd.Ctr(["tasks", "kill", "-s", "SIGKILL", "ev1"])).ExitCode);
            await containerd.WaitForStatusAsync("ev1", "STOPPED", TimeSpan.FromSeconds(30));
            Assert.Equal(0, (await containerd.Ctr(["tasks", "rm", "ev1"])).ExitCode);
            await containerd.Ctr(["containers", "rm", "ev1"]);

            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (DateTime.UtcNow < deadline && Topics(lines).Count(t => t == "/tasks/delete") < 2)
            {
                await Task.Delay(100);
            }
        }
        finally
        {
            events.Kill();
            await reader;
        }

        Assert.Equal(
            // The exec's exit and delete (ctr removes the exec when it ends), then the container's.
            ["/tasks/create", "/tasks/start", "/tasks/exec-added", "/tasks/exec-started", "/tasks/exit", "/tasks/delete", "/tasks/paused", "/tasks/resumed", "/tasks/exit", "/tasks/delete"],
            Topics(lines));
        await containerd.AssertNothingLeftAsync("ev1");
    }

    // "TIMESTAMP NAMESPACE TOPIC {json}" for this namespace's task events of ev1.
    private static List<string> Topics(List<string> lines)
    {
        lock (lines)
        {
            return lines.Where(l => l.Contains($" {PrivateContainerd.Namespace} /tasks/", StringComparison.Ordinal) && l.Contains("ev1", StringComparison.Ordinal))
                .Select(l => l.Split(' ').First(f => f.StartsWith("/tasks/", StringComparison.Ordinal)))
                .ToList();
        }
    }
}
