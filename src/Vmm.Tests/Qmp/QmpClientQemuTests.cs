using System.Threading.Channels;

namespace Sealpod.Vmm.Tests.Qmp;

/// <summary>The QMP client against a real QEMU 7.2 (TCG, no guest).</summary>
[Trait(TestCategories.Name, TestCategories.Vm)]
public sealed class QmpClientQemuTests
{
    private static readonly TimeSpan EventWait = TimeSpan.FromSeconds(20);

    private static async Task<QmpEvent> NextEventAsync(ChannelReader<QmpEvent> events, string name)
    {
        using var timeout = new CancellationTokenSource(EventWait);
        while (true)
        {
            var next = await events.ReadAsync(timeout.Token);
            if (next.Name == name)
            {
                return next;
            }
        }
    }

    [Fact]
    public async Task Negotiates_and_reports_the_prelaunch_state()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        Assert.Equal(7, qmp.Greeting.Version.Qemu.Major);
        Assert.Contains("oob", qmp.Greeting.Capabilities);
        var status = await qmp.QueryStatusAsync();
        Assert.Equal("prelaunch", status.Status);
        Assert.False(status.Running);
    }

    [Fact]
    public async Task Query_cpus_fast_names_host_threads_of_the_qemu_process()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        var cpus = await qmp.QueryCpusFastAsync();

        // Each vCPU runs on a thread of QEMU itself: what the host cgroups move one by one.
        Assert.NotEmpty(cpus);
        Assert.All(cpus, c => Assert.True(Directory.Exists($"/proc/{qemu.Pid}/task/{c.ThreadId}"), $"thread {c.ThreadId} is not one of QEMU's"));
        Assert.Equal(Enumerable.Range(0, cpus.Count), cpus.Select(c => c.CpuIndex).Order());
    }

    [Fact]
    public async Task Cont_and_stop_change_the_run_state_and_raise_resume_and_stop_events()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        await qmp.ContinueAsync();
        var resume = await NextEventAsync(qmp.Events, QmpEventNames.Resume);
        Assert.True(resume.Timestamp > DateTimeOffset.UnixEpoch);
        Assert.Equal("running", (await qmp.QueryStatusAsync()).Status);

        await qmp.StopAsync();
        await NextEventAsync(qmp.Events, QmpEventNames.Stop);
        var status = await qmp.QueryStatusAsync();
        Assert.Equal("paused", status.Status);
        Assert.False(status.Running);
    }

    [Fact]
    public async Task Errors_carry_qemus_class_and_description()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        var unknown = await Assert.ThrowsAsync<QmpException>(() => qmp.ExecuteAsync("no-such-command"));
        Assert.Equal("CommandNotFound", unknown.ErrorClass);
        Assert.Equal("no-such-command", unknown.Command);
        Assert.Contains("no-such-command", unknown.Description, StringComparison.Ordinal);

        var missing = await Assert.ThrowsAsync<QmpException>(() => qmp.DeviceDelAsync("nope"));
        Assert.Equal("DeviceNotFound", missing.ErrorClass);

        // The connection stays usable after errors.
        Assert.Equal("prelaunch", (await qmp.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task Hotplugs_a_raw_image_as_virtio_blk_and_scsi_and_requests_their_removal()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();
        var image = Path.Combine(qemu.Directory, "disk.img");
        await using (var file = File.Create(image))
        {
            file.SetLength(1024 * 1024);
        }

        await qmp.BlockdevAddAsync(new BlockdevAddArguments { NodeName = "drive-a", ReadOnly = true, File = new BlockdevFileArguments { Filename = image } });
        await qmp.DeviceAddAsync(new DeviceAddArguments { Driver = "virtio-blk-pci", Id = "disk-a", Drive = "drive-a", Bus = "pci-bridge-0", Addr = "1" });
        await qmp.BlockdevAddAsync(new BlockdevAddArguments { NodeName = "drive-b", ReadOnly = true, File = new BlockdevFileArguments { Filename = image, Aio = "threads" } });
        await qmp.DeviceAddAsync(new DeviceAddArguments { Driver = "scsi-hd", Id = "disk-b", Drive = "drive-b", Bus = "scsi0.0", Channel = 0, ScsiId = 0, Lun = 3 });

        var nodes = await qmp.ExecuteAsync("query-named-block-nodes");
        var names = nodes.EnumerateArray().Select(n => n.GetProperty("node-name").GetString()).ToList();
        Assert.Contains("drive-a", names);
        Assert.Contains("drive-b", names);
        Assert.True(nodes.EnumerateArray().First(n => n.GetProperty("node-name").GetString() == "drive-a").GetProperty("ro").GetBoolean());

        var duplicate = await Assert.ThrowsAsync<QmpException>(() =>
            qmp.DeviceAddAsync(new DeviceAddArguments { Driver = "virtio-blk-pci", Id = "disk-a", Drive = "drive-b", Bus = "pci-bridge-0", Addr = "2" }));
        Assert.Equal("GenericError", duplicate.ErrorClass);

        // device_del is only a request: without a guest to acknowledge the eject the device stays,
        // DEVICE_DELETED never comes, and its node is still in use.
        await qmp.DeviceDelAsync("disk-a");
        var inUse = await Assert.ThrowsAsync<QmpException>(() => qmp.BlockdevDelAsync("drive-a"));
        Assert.Contains("in use", inUse.Description, StringComparison.Ordinal);

        // A node no device uses can go.
        await qmp.BlockdevAddAsync(new BlockdevAddArguments { NodeName = "drive-c", ReadOnly = true, File = new BlockdevFileArguments { Filename = image } });
        await qmp.BlockdevDelAsync("drive-c");
        names = (await qmp.ExecuteAsync("query-named-block-nodes")).EnumerateArray().Select(n => n.GetProperty("node-name").GetString()).ToList();
        Assert.DoesNotContain("drive-c", names);
    }

    [Fact]
    public async Task Concurrent_commands_each_get_their_own_reply()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        var statuses = Enumerable.Range(0, 20).Select(_ => qmp.QueryStatusAsync()).ToList();
        var versions = Enumerable.Range(0, 20).Select(_ => qmp.ExecuteAsync("query-version")).ToList();
        await Task.WhenAll(statuses.Cast<Task>().Concat(versions));

        Assert.All(statuses, s => Assert.Equal("prelaunch", s.Result.Status));
        Assert.All(versions, v => Assert.Equal(7, v.Result.GetProperty("qemu").GetProperty("major").GetInt32()));
    }

    [Fact]
    public async Task Quit_raises_shutdown_and_the_process_exits_cleanly()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        await qmp.QuitAsync();
        var shutdown = await NextEventAsync(qmp.Events, QmpEventNames.Shutdown);
        Assert.Equal("host-qmp-quit", shutdown.GetDataString("reason"));
        Assert.False(shutdown.Data.GetProperty("guest").GetBoolean());

        Assert.Equal(0, await qemu.Exited.WaitAsync(EventWait));
        await qmp.Closed.WaitAsync(EventWait);
        Assert.True(qmp.IsClosed);
        var after = await Assert.ThrowsAsync<QmpConnectionClosedException>(() => qmp.QueryStatusAsync());
        Assert.Contains("query-status", after.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_qemu_fails_a_pending_command_at_once_with_a_clear_error()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        // A stopped process cannot answer: the command stays pending until the kill.
        await HostProcesses.SignalAsync(qemu.Pid, "STOP");
        var pending = qmp.QueryStatusAsync();
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);

        await HostProcesses.SignalAsync(qemu.Pid, "KILL");
        var error = await Assert.ThrowsAsync<QmpConnectionClosedException>(() => pending.WaitAsync(EventWait));
        Assert.Contains("'query-status' did not complete: QEMU closed the QMP connection", error.Message, StringComparison.Ordinal);
        Assert.Equal(128 + 9, await qemu.Exited.WaitAsync(EventWait));

        // The event stream ends too, so nobody waits on it forever.
        await qmp.Events.Completion.WaitAsync(EventWait);
    }

    [Fact]
    public async Task Cancelling_a_command_leaves_the_connection_usable()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        await HostProcesses.SignalAsync(qemu.Pid, "STOP");
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => qmp.QueryStatusAsync(cancel.Token));
        await HostProcesses.SignalAsync(qemu.Pid, "CONT");

        // The late reply to the cancelled command is dropped; the next command gets its own.
        Assert.Equal("prelaunch", (await qmp.QueryStatusAsync()).Status);
    }

    [Fact]
    public async Task Returns_raw_json_for_commands_without_a_typed_wrapper()
    {
        await using var qemu = await RawQemu.StartAsync();
        await using var qmp = await qemu.ConnectAsync();

        var kvm = await qmp.ExecuteAsync("query-kvm");
        Assert.Equal(JsonValueKind.False, kvm.GetProperty("enabled").ValueKind);
    }
}
