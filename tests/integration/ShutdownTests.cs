using Sealpod.Protos.Containerd.Task.V2;
using Sealpod.Rpc.Ttrpc;

namespace Sealpod.IntegrationTests;

/// <summary>
/// A shim stopped while its container runs (SIGTERM, as at a node's shutdown, or containerd's Task Shutdown with
/// now) gives the guest time to stop the container: the container's own SIGTERM handler runs in the VM, its exit
/// status (not the VM's end) reaches containerd as /tasks/exit, and nothing is left.
/// </summary>
[Trait("Category", "Vm")]
[Trait("Category", "Root")]
public sealed class ShutdownTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    // PID 1 of the container: exits 7 on SIGTERM (busybox sh runs the trap once the foreground sleep ends). The marker
    // says the trap is set: until then the agent turns SIGTERM to an init without a handler into SIGKILL, as Kata's does.
    private static readonly string[] TermHandler = ["sh", "-c", "trap 'exit 7' TERM; touch /dev/shm/trap-set; while true; do sleep 1; done"];

    [Fact]
    public async Task Sigterm_to_the_shim_stops_the_container_with_sigterm_first_and_reports_its_exit()
    {
        const string Id = "sdterm";
        int shim = await StartAsync(Id);

        var exits = await ExitStatusesAsync(Id, () => Command.RunAsync("kill", ["-TERM", shim.ToString(CultureInfo.InvariantCulture)]), shim);

        Assert.Contains(7, exits);
        await RemoveAsync(Id);
    }

    [Fact]
    public async Task Containerds_shutdown_now_stops_the_container_with_sigterm_first_and_reports_its_exit()
    {
        const string Id = "sdnow";
        int shim = await StartAsync(Id);

        var exits = await ExitStatusesAsync(Id, async () =>
        {
            await using var client = await TtrpcClient.ConnectUnixAsync(containerd.ShimSocket(Id));
            await client.CallAsync("containerd.task.v2.Task", "Shutdown", new ShutdownRequest { Id = Id, Now = true }, Google.Protobuf.WellKnownTypes.Empty.Parser);
            return new CommandResult(0, [], string.Empty);
        }, shim);

        Assert.Contains(7, exits);
        await RemoveAsync(Id);
    }

    private async Task<int> StartAsync(string id)
    {
        var run = await containerd.Run(["-d", "--null-io"], id, TermHandler);
        Assert.True(run.ExitCode == 0, run + containerd.ContainerdLog());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        int probe = 0;
        while ((await containerd.Ctr(["tasks", "exec", "--fifo-dir", containerd.FifoDirectory, "--exec-id", $"probe{++probe}", id, "test", "-e", "/dev/shm/trap-set"])).ExitCode != 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the container's SIGTERM trap was never set");
            await Task.Delay(200);
        }

        return containerd.ShimPid(id);
    }

    // The exit statuses containerd was told for the container while the shim stopped (ctr events' JSON).
    private async Task<List<int>> ExitStatusesAsync(string id, Func<Task<CommandResult>> stop, int shim)
    {
        var (_, lines) = await containerd.CollectEventsAsync(
            async () =>
            {
                var stopwatch = Stopwatch.StartNew();
                Assert.Equal(0, (await stop()).ExitCode);
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
                while (Directory.Exists($"/proc/{shim}") && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(100);
                }

                Assert.False(Directory.Exists($"/proc/{shim}"), "the shim did not exit");
                Console.WriteLine($"shim stopped {stopwatch.ElapsedMilliseconds} ms after the request");
                return stopwatch.Elapsed;
            },
            done: seen => Exits(seen, id).Count > 0);

        var exits = Exits(lines, id);
        Console.WriteLine(string.Join('\n', exits));
        return exits.Select(l => System.Text.RegularExpressions.Regex.Match(l, "\"exit_status\":(\\d+)"))
            .Select(m => m.Success ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0)
            .ToList();
    }

    private static List<string> Exits(IReadOnlyList<string> lines, string id) =>
        lines.Where(l => l.Contains(" /tasks/exit ", StringComparison.Ordinal) && l.Contains($"\"{id}\"", StringComparison.Ordinal)).ToList();

    private async Task RemoveAsync(string id)
    {
        await containerd.RemoveContainerAsync(id);
        await containerd.AssertNothingLeftAsync(id);
    }
}
