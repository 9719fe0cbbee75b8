using System.Diagnostics;
using System.Globalization;

namespace Sealpod.IntegrationTests;

/// <summary>What is left when the shim or the VM is killed: nothing, once containerd has cleaned up.</summary>
public sealed class FailureTests(PrivateContainerd containerd) : IClassFixture<PrivateContainerd>
{
    [Fact]
    public async Task After_the_shim_is_killed_containerds_cleanup_leaves_nothing()
    {
        Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], "kshim", ["sleep", "1000"])).ExitCode);
        string bundle = Path.Combine(containerd.StateDirectory, "io.containerd.runtime.v2.task", PrivateContainerd.Namespace, "kshim");
        int shim = int.Parse(File.ReadAllText(Path.Combine(bundle, "shim.pid")), CultureInfo.InvariantCulture);

        Process.GetProcessById(shim).Kill();

        // containerd sees the connection drop, runs `shim delete` (which kills the VM), reports the exit and
        // forgets the task; only the container record stays.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (await containerd.TaskAsync("kshim") is { Status: not "STOPPED" } && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(await containerd.TaskAsync("kshim") is null or { Status: "STOPPED" }, "the task outlived its shim");
        await containerd.Ctr(["tasks", "rm", "-f", "kshim"]);
        await containerd.Ctr(["containers", "rm", "kshim"]);
        await containerd.AssertNothingLeftAsync("kshim");
    }

    [Fact]
    public async Task After_the_vm_is_killed_the_task_exits_and_cleanup_leaves_nothing()
    {
        Assert.Equal(0, (await containerd.Run(["-d", "--null-io"], "kvm", ["sleep", "1000"])).ExitCode);
        var task = await containerd.TaskAsync("kvm");
        Assert.Contains("qemu-system", File.ReadAllText($"/proc/{task!.Value.Pid}/cmdline"), StringComparison.Ordinal);

        var stopwatch = Stopwatch.StartNew();
        Process.GetProcessById(task.Value.Pid).Kill();
        await containerd.WaitForStatusAsync("kvm", "STOPPED", TimeSpan.FromSeconds(30));
        Console.WriteLine($"task stopped {stopwatch.ElapsedMilliseconds} ms after the VM was killed");

        var rm = await containerd.Ctr(["tasks", "rm", "kvm"]);
        Assert.True(rm.ExitCode == 0, rm.ToString());
        await containerd.Ctr(["containers", "rm", "kvm"]);
        await containerd.AssertNothingLeftAsync("kvm");
    }
}
