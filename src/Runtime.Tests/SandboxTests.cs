namespace Sealpod.Runtime.Tests;

/// <summary>The sandbox's bookkeeping of containers and image disks, over a fake VM and agent with real erofs images.</summary>
public sealed class SandboxTests
{
    [Fact]
    public async Task The_first_container_uses_the_boot_disk_with_blk_and_overlay_storages()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        var container = await fixture.CreateContainerAsync("sbx");

        var request = Assert.Single(fixture.Agent.Created);
        Assert.Equal(("sbx", "sbx"), (request.ContainerId, request.ExecId));
        Assert.DoesNotContain(fixture.Vm.Calls, c => c.StartsWith("Hotplug", StringComparison.Ordinal));
        Assert.Equal(2, request.Storages.Count);
        var image = request.Storages[0];
        Assert.Equal(("blk", "02/01", "erofs"), (image.Driver, image.Source, image.FsType));
        Assert.Equal(RootfsStorages.GuestImageMount(container.Rootfs.Image!.Digest), image.MountPoint);
        Assert.True(image.Shared);
        var overlay = request.Storages[1];
        Assert.Equal(("overlayfs", "/run/sealpod/storage/sbx/rootfs"), (overlay.Driver, overlay.MountPoint));
        Assert.Equal([$"lowerdir={image.MountPoint}"], overlay.Options);
        Assert.Equal(overlay.MountPoint, request.Spec.Root!.Path);
        Assert.Equal(4242u, container.Init.Pid);
    }

    [Fact]
    public async Task Containers_of_one_image_share_its_disk_which_goes_with_the_last_of_them()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        await fixture.CreateContainerAsync("sbx");
        await fixture.CreateContainerAsync("same", imageContent: "busybox");
        var other = await fixture.CreateContainerAsync("other", imageContent: "alpine");
        string otherDisk = ImageAttachment.DeviceId(other.Rootfs.Image!.Digest);

        Assert.Equal([$"Hotplug {otherDisk}"], fixture.Vm.Calls.Where(c => c.StartsWith("Hotplug", StringComparison.Ordinal)));

        await fixture.Sandbox.DeleteContainerAsync("same", CancellationToken.None);
        Assert.DoesNotContain(fixture.Vm.Calls, c => c.StartsWith("Unplug", StringComparison.Ordinal));
        await fixture.Sandbox.DeleteContainerAsync("other", CancellationToken.None);
        Assert.Equal([$"Unplug {otherDisk}"], fixture.Vm.Calls.Where(c => c.StartsWith("Unplug", StringComparison.Ordinal)));
        Assert.Contains("RemoveContainer other", fixture.Agent.Calls);
        Assert.Single(fixture.Sandbox.Containers);
    }

    [Fact]
    public async Task Bind_mounted_host_files_and_read_only_directories_are_copied_into_the_guest_before_the_container_is_created()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        string hostFile = Path.Combine(fixture.Work, "resolv.conf");
        await File.WriteAllTextAsync(hostFile, "nameserver 10.0.0.1\n");
        string hostDirectory = Directory.CreateDirectory(Path.Combine(fixture.Work, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(hostDirectory, "app.conf"), "x=1\n");
        string spec = SampleSpecs.Full(hostFile, hostDirectory).Replace("\"rbind\", \"rw\"", "\"rbind\", \"ro\"", StringComparison.Ordinal);

        await fixture.CreateContainerAsync("sbx", specJson: spec);

        var copies = fixture.Agent.CopiedFiles.ToArray();
        Assert.Equal(["/run/sealpod/shared/sbx/0-resolv.conf", "/run/sealpod/shared/sbx/1-data", "/run/sealpod/shared/sbx/1-data/app.conf"], copies.Select(c => c.Path));
        Assert.Equal("nameserver 10.0.0.1\n", Encoding.UTF8.GetString(copies[0].Data.Span));
        Assert.Equal("x=1\n", Encoding.UTF8.GetString(copies[2].Data.Span));
        var mounts = fixture.Agent.Created.Single().Spec.Mounts;
        Assert.Equal(copies[0].Path, mounts.Single(m => m.Destination == "/etc/resolv.conf").Source);
        Assert.Equal(copies[1].Path, mounts.Single(m => m.Destination == "/data").Source);
        Assert.True(fixture.Agent.Calls.ToList().IndexOf($"CopyFile {copies[2].Path}") < fixture.Agent.Calls.ToList().IndexOf("CreateContainer sbx"));
    }

    [Fact]
    public async Task A_read_write_directory_bind_mount_fails_the_guest_spec_before_anything_reaches_the_guest()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        string hostFile = Path.Combine(fixture.Work, "resolv.conf");
        await File.WriteAllTextAsync(hostFile, "nameserver 10.0.0.1\n");

        var error = await Assert.ThrowsAsync<InvalidArgumentException>(() => fixture.CreateContainerAsync("sbx", specJson: SampleSpecs.Full(hostFile, fixture.Work)));

        Assert.StartsWith($"bind mount {fixture.Work} -> /data: a read-write host directory", error.Message, StringComparison.Ordinal);
        Assert.Empty(fixture.Agent.CopiedFiles);
        Assert.DoesNotContain(fixture.Agent.Calls, c => c.StartsWith("CreateContainer", StringComparison.Ordinal));
        Assert.Empty(fixture.Sandbox.Containers);
    }

    [Fact]
    public async Task Oom_events_of_known_containers_are_published()
    {
        await using var fixture = await SandboxFixture.StartAsync();
        await fixture.CreateContainerAsync("sbx");

        fixture.Agent.OomEvents.Writer.TryWrite("unknown");
        fixture.Agent.OomEvents.Writer.TryWrite("sbx");
        await fixture.Publisher.WaitForAsync(e => e.OfType<TaskOom>().Any());

        Assert.Equal(["sbx"], fixture.Publisher.Published.OfType<TaskOom>().Select(e => e.ContainerId));
    }

    [Fact]
    public async Task Stopping_the_sandbox_gives_a_running_container_sigterm_and_reports_its_own_exit_before_the_vm_stops()
    {
        var fixture = await SandboxFixture.StartAsync();
        try
        {
            var container = await fixture.StartContainerAsync("sbx");

            // The guest's container handles SIGTERM and exits 143 while the VM still runs.
            bool vmStoppedFirst = false;
            fixture.Agent.OnSignal = (id, exec, signal) =>
            {
                vmStoppedFirst |= fixture.Vm.Calls.Contains("Stop");
                if (signal == 15)
                {
                    fixture.Agent.CompleteProcess(id, container.Init.AgentExecId, 143);
                }
            };

            await fixture.Sandbox.DisposeAsync();

            Assert.Equal(143u, (await container.Init.WaitAsync()).Status);
            Assert.False(vmStoppedFirst);
            Assert.Equal(["SignalProcess sbx '' 15"], fixture.Agent.Calls.Where(c => c.StartsWith("SignalProcess", StringComparison.Ordinal)));
            Assert.Contains("Stop", fixture.Vm.Calls);
            await fixture.Publisher.WaitForAsync(e => e.OfType<TaskExited>().Any(x => x.ExitStatus == 143));
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }

    [Fact]
    public async Task Stopping_the_sandbox_with_a_container_that_ignores_sigterm_and_sigkill_reports_it_dead_and_stops_the_vm()
    {
        var fixture = await SandboxFixture.StartAsync(settings: new SandboxSettings { ContainerStopTimeout = TimeSpan.FromMilliseconds(200) });
        try
        {
            var container = await fixture.StartContainerAsync("sbx");

            await fixture.Sandbox.DisposeAsync();

            Assert.Equal(255u, (await container.Init.WaitAsync()).Status);
            Assert.Equal(["SignalProcess sbx '' 15", "SignalProcess sbx '' 9"], fixture.Agent.Calls.Where(c => c.StartsWith("SignalProcess", StringComparison.Ordinal)));
            Assert.Contains("Stop", fixture.Vm.Calls);
            Assert.Contains("Dispose", fixture.Vm.Calls);
            await fixture.Publisher.WaitForAsync(e => e.OfType<TaskExited>().Any());
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
