using System.Diagnostics;

namespace Sealpod.VmAgent.IntegrationTests;

public sealed class VmFailureTests
{
    [Fact]
    public async Task Killing_qemu_during_WaitProcess_fails_the_call_within_two_seconds_saying_the_VM_died()
    {
        await using var vm = await GuestVm.BootAsync("kill");
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await vm.RunContainerAsync("victim", ["sleep", "1000"], cancellationToken: timeout.Token);
        var waiting = vm.Agent.WaitProcessAsync("victim", string.Empty, timeout.Token);
        await Task.Delay(300, timeout.Token);
        Assert.False(waiting.IsCompleted);

        var killedAt = Stopwatch.StartNew();
        Process.GetProcessById(vm.Hypervisor.Pid!.Value).Kill();
        var error = await Assert.ThrowsAsync<AgentUnreachableException>(() => waiting);
        killedAt.Stop();

        Assert.Contains("the VM died", error.Message, StringComparison.Ordinal);
        Assert.True(killedAt.Elapsed < TimeSpan.FromSeconds(2), $"WaitProcess failed {killedAt.Elapsed.TotalMilliseconds:0} ms after qemu was killed");
    }

    [Fact]
    public async Task A_guest_that_never_starts_the_agent_gives_the_dial_timeout_with_the_console_tail_and_leaves_nothing()
    {
        // rdinit=/bin/sh replaces the initrd's /init, init=/bin/sh the root disk image's /sbin/init: the kernel boots, a
        // shell waits on the console, no agent ever runs.
        // A name of this run's own, so that what another run (killed, or on another branch) left in /tmp is not counted.
        string name = "noagent" + Guid.NewGuid().ToString("N")[..6];
        var error = await Assert.ThrowsAsync<AgentUnreachableException>(
            () => GuestVm.BootAsync(name, ["rdinit=/bin/sh", "init=/bin/sh"], dialTimeout: TimeSpan.FromSeconds(15)));

        Assert.Contains("agent did not answer within 15 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("guest console", error.Message, StringComparison.Ordinal);
        Assert.Empty(QemuProcessesNamed($"sandbox-{name}-"));
        Assert.Empty(Directory.GetDirectories("/tmp", $"svi-{name}-*"));
    }

    // Other suites may run VMs at the same time, so look for this test's own sandbox name only.
    private static List<int> QemuProcessesNamed(string prefix)
    {
        var found = new List<int>();
        foreach (var process in Process.GetProcessesByName("qemu-system-x86_64"))
        {
            try
            {
                string cmdline = File.ReadAllText($"/proc/{process.Id}/cmdline");
                if (cmdline.Contains(prefix, StringComparison.Ordinal))
                {
                    found.Add(process.Id);
                }
            }
            catch (IOException)
            {
                // exited while we looked
            }
        }

        return found;
    }
}
