using Xunit.Abstractions;
using System.Net.Sockets;

namespace Sealpod.Vmm.Tests.Qemu;

/// <summary>The QEMU driver running real VMs (TCG, the stub kernel) on this machine.</summary>
[Trait(TestCategories.Name, TestCategories.Vm)]
public sealed class QemuHypervisorTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Starts_a_vm_and_reports_its_pid_console_agent_socket_and_accelerator()
    {
        await using var vm = new StubVm();
        IHypervisor hypervisor = vm.Hypervisor;
        await hypervisor.StartAsync(vm.Spec());

        Assert.Equal(HypervisorState.Running, hypervisor.State);
        var pid = hypervisor.Pid!.Value;
        Assert.Contains(pid, HostProcesses.FindByCommandLine(vm.QemuName));
        Assert.Equal(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(Path.Combine(vm.RuntimeDirectory, "qemu.pid"))).Trim());
        Assert.Equal(Path.Combine(vm.RuntimeDirectory, "console.log"), hypervisor.ConsoleLogPath);
        Assert.Equal(StubKernel.ConsoleMarker.ToString(), await vm.WaitForConsoleAsync());
        Assert.Equal(new AcceleratorDecision(Accelerator.Tcg, "forced by SEALPOD_ACCEL=tcg", AcceleratorDecisionSource.Override), hypervisor.Accelerator);
        Assert.Equal("running", (await vm.Hypervisor.Qmp.QueryStatusAsync()).Status);
        Assert.Equal(HypervisorCapabilities.PauseResume | HypervisorCapabilities.BlockDeviceHotplug, hypervisor.Capabilities);

        // The agent's virtio-serial socket accepts a client: what the agent client will dial.
        var agent = Assert.IsType<VirtioSerialAgentEndpoint>(hypervisor.AgentEndpoint);
        Assert.Equal("agent.channel.0", agent.PortName);
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(agent.SocketPath));
        }

        // The launch is logged with the accelerator, its reason and the full command line.
        Assert.Contains(vm.Logger.Lines, l => l.Contains("starting QEMU with TCG (forced by SEALPOD_ACCEL=tcg)", StringComparison.Ordinal)
            && l.Contains("-name " + vm.QemuName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_launch_log_names_every_kernel_parameter_but_not_the_kbs_endpoint_or_registry_credential()
    {
        const string Kbs = "cc_kbc::http://kbs.secret.example:8080";
        const string Auth = "kbs:///default/credential/registry-token";
        await using var vm = new StubVm(c => c with { KernelParams = KernelParameters.Parse($"agent.aa_kbc_params={Kbs} agent.image_registry_auth={Auth} agent.log=debug") });

        await vm.StartAsync();

        var launch = Assert.Single(vm.Logger.Lines, l => l.StartsWith("Information: ", StringComparison.Ordinal) && l.Contains("starting QEMU", StringComparison.Ordinal));
        Assert.Contains("agent.aa_kbc_params=<redacted>", launch, StringComparison.Ordinal);
        Assert.Contains("agent.image_registry_auth=<redacted>", launch, StringComparison.Ordinal);
        Assert.Contains("agent.log=debug", launch, StringComparison.Ordinal);
        Assert.DoesNotContain(vm.Logger.Lines, l => l.Contains("kbs.secret.example", StringComparison.Ordinal) || l.Contains("registry-token", StringComparison.Ordinal));

        // QEMU itself got the real values.
        var cmdline = await File.ReadAllTextAsync($"/proc/{vm.Hypervisor.Pid}/cmdline");
        Assert.Contains($"agent.aa_kbc_params={Kbs}", cmdline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stop_tries_the_power_button_then_quits_and_reaps()
    {
        await using var vm = new StubVm();
        await vm.StartAsync();
        await vm.WaitForConsoleAsync();
        var pid = vm.Hypervisor.Pid!.Value;

        // The stub guest ignores ACPI, so the grace period runs out and quit follows.
        var exit = await vm.Hypervisor.StopAsync(TimeSpan.FromMilliseconds(300));
        foreach (var line in vm.Logger.Lines)
        {
            output.WriteLine(line);
        }

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("host-qmp-quit", exit.ShutdownReason);
        Assert.False(exit.Killed);
        Assert.Equal(HypervisorState.Exited, vm.Hypervisor.State);
        Assert.False(HostProcesses.Exists(pid), "the process was not reaped");
        Assert.Contains(vm.Logger.Lines, l => l.Contains("asking the guest to power off", StringComparison.Ordinal));

        // Sockets and pid file go with the process; the logs stay until dispose.
        Assert.Equal(["console.log", "qemu.log"], Directory.EnumerateFiles(vm.RuntimeDirectory).Select(Path.GetFileName).Order());
        Assert.Same(exit, await vm.Hypervisor.WaitForExitAsync());
        Assert.Same(exit, await vm.Hypervisor.StopAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task A_qemu_that_does_not_respond_is_killed_and_reaped()
    {
        await using var vm = new StubVm(options: new QemuHypervisorOptions
        {
            QuitTimeout = TimeSpan.FromMilliseconds(500),
            Host = new HostResources(1, 1024),
        });
        await vm.StartAsync();
        var pid = vm.Hypervisor.Pid!.Value;

        await HostProcesses.SignalAsync(pid, "STOP");
        var exit = await vm.Hypervisor.StopAsync(TimeSpan.FromMilliseconds(300)).WaitAsync(Wait);

        Assert.True(exit.Killed);
        Assert.Equal(128 + 9, exit.ExitCode);
        Assert.Null(exit.ShutdownReason);
        Assert.False(HostProcesses.Exists(pid), "the process was not reaped");
        Assert.Contains(vm.Logger.Lines, l => l.Contains($"QEMU pid {pid} did not stop in time; killing it", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_qemu_killed_from_outside_completes_wait_and_fails_pending_commands_at_once()
    {
        await using var vm = new StubVm();
        await vm.StartAsync();
        var pid = vm.Hypervisor.Pid!.Value;
        var waiting = vm.Hypervisor.WaitForExitAsync();

        await HostProcesses.SignalAsync(pid, "STOP");
        var pause = vm.Hypervisor.PauseAsync();
        await Task.Delay(200);
        Assert.False(pause.IsCompleted);
        await HostProcesses.SignalAsync(pid, "KILL");

        var error = await Assert.ThrowsAsync<QmpConnectionClosedException>(() => pause.WaitAsync(Wait));
        Assert.Contains("'stop' did not complete", error.Message, StringComparison.Ordinal);
        var exit = await waiting.WaitAsync(Wait);
        Assert.Equal(128 + 9, exit.ExitCode);
        Assert.False(exit.Killed);
        Assert.Equal(HypervisorState.Exited, vm.Hypervisor.State);
        Assert.False(File.Exists(Path.Combine(vm.RuntimeDirectory, "qmp.sock")));
        await Assert.ThrowsAsync<InvalidOperationException>(() => vm.Hypervisor.PauseAsync());
    }

    [Fact]
    public async Task A_failed_start_reports_qemus_error_and_leaves_nothing_behind()
    {
        await using var vm = new StubVm(configure: c => c with { Kernel = "/nonexistent/sealpod-kernel" });

        var error = await Assert.ThrowsAsync<HypervisorStartException>(() => vm.StartAsync());
        output.WriteLine(error.Message);

        Assert.Equal(1, error.ExitCode);
        Assert.Contains("/nonexistent/sealpod-kernel", error.Output, StringComparison.Ordinal);
        Assert.Contains("could not open kernel file", error.Message, StringComparison.Ordinal);
        Assert.Equal(HypervisorState.Failed, vm.Hypervisor.State);
        Assert.False(Directory.Exists(vm.RuntimeDirectory));
        Assert.Empty(HostProcesses.FindByCommandLine(vm.QemuName));
        await Assert.ThrowsAsync<InvalidOperationException>(() => vm.Hypervisor.WaitForExitAsync());
    }

    [Fact]
    public async Task A_vsock_agent_without_vhost_vsock_fails_with_qemus_reason()
    {
        if (File.Exists("/dev/vhost-vsock"))
        {
            return; // This host has vsock: the failure this test looks at cannot happen here.
        }

        await using var vm = new StubVm();
        var error = await Assert.ThrowsAsync<HypervisorStartException>(() => vm.StartAsync(s => s with { AgentTransport = AgentTransport.Vsock }));
        output.WriteLine(error.Message);
        Assert.Contains("vhost-vsock", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(vm.RuntimeDirectory));
    }

    [Fact]
    public async Task A_missing_binary_is_a_start_error_naming_it()
    {
        await using var vm = new StubVm(configure: c => c with { Path = "/nonexistent/qemu-system-x86_64" });
        var error = await Assert.ThrowsAsync<HypervisorStartException>(() => vm.StartAsync());
        Assert.Contains("/nonexistent/qemu-system-x86_64", error.Message, StringComparison.Ordinal);
        Assert.Equal(HypervisorState.Failed, vm.Hypervisor.State);
    }

    [Fact]
    public async Task A_vm_started_paused_runs_only_after_resume_and_pauses_again()
    {
        await using var vm = new StubVm();
        await vm.StartAsync(s => s with { StartPaused = true });

        Assert.Equal("prelaunch", (await vm.Hypervisor.Qmp.QueryStatusAsync()).Status);
        await vm.Hypervisor.ResumeAsync();
        Assert.Equal("running", (await vm.Hypervisor.Qmp.QueryStatusAsync()).Status);
        await vm.WaitForConsoleAsync();
        await vm.Hypervisor.PauseAsync();
        Assert.Equal("paused", (await vm.Hypervisor.Qmp.QueryStatusAsync()).Status);

        // Paused vCPUs cannot act on ACPI: stop skips the grace period and quits.
        var exit = await vm.Hypervisor.StopAsync(TimeSpan.FromMinutes(5)).WaitAsync(Wait);
        Assert.Equal("host-qmp-quit", exit.ShutdownReason);
        Assert.Contains(vm.Logger.Lines, l => l.Contains("vCPUs not running (paused); skipping ACPI power-off", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scsi_disks_hotplug_at_the_next_lun_and_unplug_completely()
    {
        await using var vm = new StubVm();
        await vm.StartAsync(s => s with { BlockDevices = [new BlockDevice { Id = "boot", Path = vm.Image("boot.img") }] });
        var boot = Assert.Single(vm.Hypervisor.BlockDevices);
        Assert.Equal(new ScsiAddress(0, 0), boot.GuestAddress);
        Assert.False(boot.Hotplugged);

        var a = await vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = "a", Path = vm.Image("a.img") });
        var b = await vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = "b", Path = vm.Image("b.img"), ReadOnly = false });
        Assert.Equal(GuestBlockDriver.VirtioScsi, a.Driver);
        Assert.Equal("0:1", a.GuestAddress.ToString());
        Assert.Equal("0:2", b.GuestAddress.ToString());
        Assert.True(a.Hotplugged);

        var nodes = await NodesAsync(vm.Hypervisor.Qmp);
        Assert.True(nodes["drive-a"]);
        Assert.False(nodes["drive-b"]);

        // SCSI unplug needs no guest cooperation: DEVICE_DELETED arrives and the node can go.
        await vm.Hypervisor.UnplugBlockDeviceAsync("a");
        Assert.DoesNotContain("drive-a", (await NodesAsync(vm.Hypervisor.Qmp)).Keys);
        Assert.DoesNotContain(vm.Hypervisor.BlockDevices, d => d.Device.Id == "a");

        // Its position is free again.
        var c = await vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = "c", Path = vm.Image("c.img") });
        Assert.Equal("0:1", c.GuestAddress.ToString());
        Assert.Equal(["b", "boot", "c"], vm.Hypervisor.BlockDevices.Select(d => d.Device.Id).Order());
    }

    [Fact]
    public async Task The_longest_accepted_block_device_id_is_one_qemu_takes_and_one_more_character_is_refused_first()
    {
        // QEMU refuses node names over 31 characters; the node is "drive-" + id, so 25 is the longest id.
        var longest = new string('l', BlockDevice.MaxIdLength);
        await using var vm = new StubVm();
        await vm.StartAsync(s => s with { BlockDevices = [new BlockDevice { Id = longest, Path = vm.Image("boot.img") }] });

        var hotplugged = await vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = new string('h', BlockDevice.MaxIdLength), Path = vm.Image("a.img") });
        Assert.Equal("0:1", hotplugged.GuestAddress.ToString());
        var nodes = await NodesAsync(vm.Hypervisor.Qmp);
        Assert.Contains("drive-" + longest, nodes.Keys);
        Assert.Equal(31, nodes.Keys.Max(n => n.Length));

        var tooLong = new string('x', BlockDevice.MaxIdLength + 1);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = tooLong, Path = vm.Image("b.img") }));
        Assert.StartsWith($"block device id '{tooLong}' is invalid: expected 1-25 letters, digits, '-' or '_' (QEMU names the disk's node 'drive-<id>', and node names are limited to 31 characters)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await NodesAsync(vm.Hypervisor.Qmp)).Count);
    }

    [Fact]
    public async Task A_failed_hotplug_is_rolled_back_and_reported_with_qemus_reason()
    {
        await using var vm = new StubVm();
        await vm.StartAsync();

        var missing = await Assert.ThrowsAsync<HypervisorException>(() =>
            vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = "gone", Path = "/nonexistent/disk.img" }));
        Assert.Contains("cannot hotplug block device 'gone'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/disk.img", missing.Message, StringComparison.Ordinal);
        Assert.IsType<QmpException>(missing.InnerException);

        var a = await vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = "a", Path = vm.Image("a.img") });
        Assert.Equal("0:0", a.GuestAddress.ToString());
        var duplicate = await Assert.ThrowsAsync<HypervisorException>(() =>
            vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = "a", Path = vm.Image("a2.img") }));
        Assert.Contains("already attached", duplicate.Message, StringComparison.Ordinal);
        Assert.Equal(["drive-a"], (await NodesAsync(vm.Hypervisor.Qmp)).Keys);
    }

    [Fact]
    public async Task Virtio_blk_disks_sit_on_the_bridge_and_an_unacknowledged_unplug_is_reported()
    {
        await using var vm = new StubVm(configure: c => c with { BlockDeviceDriver = BlockDeviceDriver.VirtioBlk });
        await vm.StartAsync(s => s with { BlockDevices = [new BlockDevice { Id = "initdata", Path = vm.Image("initdata.img"), Serial = "initdata" }] });
        Assert.Equal(new PciPath(2, 1), Assert.Single(vm.Hypervisor.BlockDevices).GuestAddress);

        var disk = await vm.Hypervisor.HotplugBlockDeviceAsync(new BlockDevice { Id = "rootfs", Path = vm.Image("rootfs.img") });
        Assert.Equal(GuestBlockDriver.VirtioBlk, disk.Driver);
        Assert.Equal("02/02", disk.GuestAddress.ToString());
        var qom = await vm.Hypervisor.Qmp.ExecuteAsync("qom-list", new QomListArguments("/machine/peripheral"), TestJsonContext.Default.QomListArguments);
        Assert.Contains(qom.EnumerateArray(), p => p.GetProperty("name").GetString() == "disk-rootfs");

        // PCI unplug waits for the guest's ACPI eject, which the stub never gives.
        var error = await Assert.ThrowsAsync<HypervisorException>(() => vm.Hypervisor.UnplugBlockDeviceAsync("rootfs"));
        Assert.Contains("did not release block device 'rootfs' within 1 s", error.Message, StringComparison.Ordinal);
        Assert.Contains(vm.Hypervisor.BlockDevices, d => d.Device.Id == "rootfs");
        await Assert.ThrowsAsync<HypervisorException>(() => vm.Hypervisor.UnplugBlockDeviceAsync("never-attached"));
    }

    [GuestKernelFact]
    public async Task A_linux_guest_that_panics_ends_the_vm_and_wait_reports_why()
    {
        // No initrd and no root disk: the kernel boots, panics at its root mount, reboots
        // (panic=1), and -no-reboot turns that into QEMU exiting on its own.
        await using var vm = new StubVm(kernel: GuestKernel.Path);
        await vm.StartAsync(s => s with { ExtraKernelParameters = ["root=/dev/sealpod-test-no-root"] });

        var exit = await vm.Hypervisor.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(0, exit.ExitCode);
        Assert.Equal("guest-reset", exit.ShutdownReason);
        Assert.False(exit.Killed);
        var console = await File.ReadAllTextAsync(vm.Hypervisor.ConsoleLogPath!);
        Assert.Contains("Kernel panic", console, StringComparison.Ordinal);
        Assert.Contains("Unable to mount root fs", console, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Disposing_a_running_vm_stops_it_and_removes_its_directory()
    {
        var vm = new StubVm();
        await vm.StartAsync();
        var pid = vm.Hypervisor.Pid!.Value;
        var exit = vm.Hypervisor.WaitForExitAsync();

        await vm.DisposeAsync();

        Assert.Equal("host-qmp-quit", (await exit.WaitAsync(Wait)).ShutdownReason);
        Assert.False(HostProcesses.Exists(pid));
        Assert.Equal(HypervisorState.Disposed, vm.Hypervisor.State);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => vm.Hypervisor.StartAsync(vm.Spec()));
    }

    [Fact]
    public async Task An_instance_starts_once()
    {
        await using var vm = new StubVm();
        await vm.StartAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => vm.StartAsync());
        Assert.Equal(HypervisorState.Running, vm.Hypervisor.State);
    }

    [Fact]
    public async Task Stop_before_start_is_refused()
    {
        await using var vm = new StubVm();
        await Assert.ThrowsAsync<InvalidOperationException>(() => vm.Hypervisor.StopAsync(TimeSpan.Zero));
        await Assert.ThrowsAsync<InvalidOperationException>(() => vm.Hypervisor.WaitForExitAsync());
        Assert.Null(vm.Hypervisor.Pid);
    }

    [Fact]
    public async Task A_too_long_runtime_directory_is_refused_before_anything_starts()
    {
        await using var vm = new StubVm();
        var error = await Assert.ThrowsAsync<ArgumentException>(() =>
            vm.Hypervisor.StartAsync(vm.Spec(s => s with { RuntimeDirectory = "/tmp/" + new string('d', 100) })));
        Assert.Contains("exceeds 107 bytes", error.Message, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, bool>> NodesAsync(QmpClient qmp)
    {
        var nodes = await qmp.ExecuteAsync("query-named-block-nodes");
        return nodes.EnumerateArray()
            .Where(n => n.GetProperty("node-name").GetString()!.StartsWith("drive-", StringComparison.Ordinal))
            .ToDictionary(n => n.GetProperty("node-name").GetString()!, n => n.GetProperty("ro").GetBoolean());
    }
}
