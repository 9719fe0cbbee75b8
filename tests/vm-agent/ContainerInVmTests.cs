using System.Diagnostics;

namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>Shares one booted VM between the container scenarios of issue 3 (a boot under TCG costs seconds).</summary>
public sealed class VmFixture : IAsyncLifetime
{
    internal GuestVm Vm { get; private set; } = null!;

    public async Task InitializeAsync() => Vm = await GuestVm.BootAsync("ctr");

    public async Task DisposeAsync()
    {
        if (Vm is not null)
        {
            int? pid = Vm.Hypervisor.Pid;
            await Vm.DisposeAsync();
            Assert.True(pid is null || !System.Diagnostics.Process.GetProcesses().Any(p => p.Id == pid), $"qemu pid {pid} still running after the VM was disposed");
        }
    }
}

public sealed class ContainerInVmTests(VmFixture fixture, Xunit.Abstractions.ITestOutputHelper output) : IClassFixture<VmFixture>
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);

    private GuestVm Vm => fixture.Vm;

    /// <summary>
    /// The README's guest figures come from here (run with --logger "console;verbosity=detailed"):
    /// QEMU start to agent ready, initrd and agent sizes, and the agent's RSS as it logs it in the guest.
    /// </summary>
    [Fact]
    public void Reports_the_boot_figures_the_agent_logs()
    {
        string console = GuestVm.ConsoleTail(Vm.Hypervisor, 400);
        var ready = System.Text.RegularExpressions.Regex.Match(console, @"sealpod-agent info: ready in ([0-9.]+) ms since Main.*?RSS ([0-9]+) kB");
        Assert.True(ready.Success, "the agent's ready line (with its RSS) is not on the guest console:\n" + console);

        long initrd = new FileInfo(Repository.Combine("build", "guest", "initrd.img")).Length;
        long agent = new FileInfo(Repository.Combine("build", "agent", "sealpod-agent")).Length;
        output.WriteLine($"accelerator: {Vm.Hypervisor.Accelerator}");
        output.WriteLine($"QEMU start to agent ready: {Vm.BootTime.TotalMilliseconds:0} ms");
        output.WriteLine($"initrd: {initrd} bytes; agent binary: {agent} bytes");
        output.WriteLine($"agent ready {ready.Groups[1].Value} ms after Main; agent RSS in the guest: {ready.Groups[2].Value} kB");
        Assert.InRange(long.Parse(ready.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 1, 512 * 1024);
    }

    [Fact]
    public async Task Container_sees_the_guest_kernel_not_the_host_kernel()
    {
        using var timeout = new CancellationTokenSource(Long);
        var (text, status) = await Vm.RunToEndAsync("uname", ["uname", "-r"], cancellationToken: timeout.Token);
        var stdout = text.Trim();

        Assert.Equal(GuestAssets.KernelRelease, stdout);
        Assert.NotEqual(Environment.OSVersion.Version.ToString(), stdout);
        Assert.NotEqual(File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), stdout);
        Assert.Equal(0, status);
        await Vm.Agent.RemoveContainerAsync("uname", TimeSpan.FromSeconds(10), timeout.Token);
    }

    [Fact]
    public async Task Stdout_stderr_and_exit_code_come_back_separately()
    {
        using var timeout = new CancellationTokenSource(Long);
        await Vm.RunContainerAsync("streams", ["sh", "-c", "echo to-out; echo to-err >&2; exit 3"], cancellationToken: timeout.Token);

        var stdout = Vm.ReadAllAsync("streams", string.Empty, cancellationToken: timeout.Token);
        var stderr = Vm.ReadAllAsync("streams", string.Empty, stderr: true, cancellationToken: timeout.Token);
        int status = await Vm.Agent.WaitProcessAsync("streams", string.Empty, timeout.Token);

        Assert.Equal("to-out\n", Encoding.UTF8.GetString(await stdout));
        Assert.Equal("to-err\n", Encoding.UTF8.GetString(await stderr));
        Assert.Equal(3, status);
        await Vm.Agent.RemoveContainerAsync("streams", TimeSpan.FromSeconds(10), timeout.Token);
    }

    [Fact]
    public async Task One_MiB_of_stdin_round_trips_byte_exact()
    {
        using var timeout = new CancellationTokenSource(Long);
        var input = new byte[1024 * 1024];
        new Random(42).NextBytes(input);
        await Vm.RunContainerAsync("cat", ["cat"], cancellationToken: timeout.Token);

        var output = Vm.ReadAllAsync("cat", string.Empty, cancellationToken: timeout.Token);
        for (int offset = 0; offset < input.Length;)
        {
            int written = await Vm.Agent.WriteStdinAsync("cat", string.Empty, input.AsMemory(offset, Math.Min(64 * 1024, input.Length - offset)), timeout.Token);
            Assert.True(written > 0, "WriteStdin accepted no bytes");
            offset += written;
        }

        await Vm.Agent.CloseStdinAsync("cat", string.Empty, timeout.Token);
        var echoed = await output;
        int status = await Vm.Agent.WaitProcessAsync("cat", string.Empty, timeout.Token);

        Assert.Equal(input.Length, echoed.Length);
        Assert.True(input.AsSpan().SequenceEqual(echoed), "stdin did not come back byte-exact");
        Assert.Equal(0, status);
        await Vm.Agent.RemoveContainerAsync("cat", TimeSpan.FromSeconds(10), timeout.Token);
    }

    [Fact]
    public async Task SIGTERM_to_an_init_without_a_handler_kills_it_as_Kata_does()
    {
        // The container's init is PID 1 of its namespace and would ignore a signal it has no handler for,
        // so the agent turns SIGTERM into SIGKILL there (Kata's rule): 128 + 9.
        using var timeout = new CancellationTokenSource(Long);
        await Vm.RunContainerAsync("sleeper", ["sleep", "1000"], cancellationToken: timeout.Token);

        await Vm.Agent.SignalProcessAsync("sleeper", string.Empty, 15, timeout.Token);
        int status = await Vm.Agent.WaitProcessAsync("sleeper", string.Empty, timeout.Token);

        Assert.Equal(128 + 9, status);
        await Vm.Agent.RemoveContainerAsync("sleeper", TimeSpan.FromSeconds(10), timeout.Token);
    }

    [Fact]
    public async Task A_signal_reaches_a_process_that_handles_it()
    {
        using var timeout = new CancellationTokenSource(Long);
        await Vm.RunContainerAsync("trapper", ["sh", "-c", "trap 'echo got-term; exit 42' TERM; echo ready; while true; do sleep 0.1; done"], cancellationToken: timeout.Token);
        var ready = await Vm.Agent.ReadStdoutAsync("trapper", string.Empty, 64, timeout.Token);
        Assert.Equal("ready\n", Encoding.UTF8.GetString(ready.Span));

        await Vm.Agent.SignalProcessAsync("trapper", string.Empty, 15, timeout.Token);
        var rest = Encoding.UTF8.GetString(await Vm.ReadAllAsync("trapper", string.Empty, cancellationToken: timeout.Token));
        int status = await Vm.Agent.WaitProcessAsync("trapper", string.Empty, timeout.Token);

        Assert.Equal("got-term\n", rest);
        Assert.Equal(42, status);
        await Vm.Agent.RemoveContainerAsync("trapper", TimeSpan.FromSeconds(10), timeout.Token);
    }

    [Fact]
    public async Task Exec_pause_resume_and_stats_on_a_running_container()
    {
        using var timeout = new CancellationTokenSource(Long);
        await Vm.RunContainerAsync("busy", ["sh", "-c", "while true; do cut -d' ' -f1 /proc/uptime >> /tmp/ticks; sleep 0.1; done"], cancellationToken: timeout.Token);

        // exec: its own output and exit code, inside the container's namespaces
        var (execOut, execStatus) = await Vm.ExecAsync("busy", "probe", ["sh", "-c", "hostname; exit 5"], timeout.Token);
        Assert.Equal("sealpod-busy", Encoding.UTF8.GetString(execOut).Trim());
        Assert.Equal(5, execStatus);

        // stats from the container's cgroup in the guest
        var stats = await Vm.Agent.StatsContainerAsync("busy", timeout.Token);
        Assert.True(stats.Cgroup?.Memory?.Usage?.Usage > 0, "memory usage should be reported");
        Assert.True(stats.Cgroup?.Pids?.Current >= 1, "the container has at least one process");

        // pause: the loop records the guest's uptime every 0.1 s; while frozen it records nothing, so
        // after resume the ticks show a gap as long as the pause (guest time runs on while frozen).
        await Vm.Agent.PauseContainerAsync("busy", timeout.Token);
        await Task.Delay(2000, timeout.Token);
        await Vm.Agent.ResumeContainerAsync("busy", timeout.Token);
        await Task.Delay(1000, timeout.Token);
        var ticks = await ReadTicksAsync(timeout.Token);
        double longestGap = ticks.Zip(ticks.Skip(1), (a, b) => b - a).Max();
        Assert.True(longestGap >= 1.5, $"no gap of the pause's length in the container's ticks (longest {longestGap:0.00} s)");
        Assert.True(ticks[^1] - ticks[0] > longestGap, "the loop did not run again after resume");

        Assert.Equal(128 + 9, await Vm.KillContainerAsync("busy", timeout.Token));
    }

    private async Task<double[]> ReadTicksAsync(CancellationToken cancellationToken)
    {
        var (stdout, _) = await Vm.ExecAsync("busy", "read-" + Guid.NewGuid().ToString("N")[..8], ["cat", "/tmp/ticks"], cancellationToken);
        return Encoding.UTF8.GetString(stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => double.Parse(line, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
    }
}
