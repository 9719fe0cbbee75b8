using Sealpod.Runtime.Sharing;

namespace Sealpod.VmAgent.IntegrationTests;

/// <summary>
/// shared_fs = "virtio-fs" end to end on the real guest: the runtime's shared directory served by the real virtiofsd
/// (/usr/lib/qemu/virtiofsd), the guest agent mounting it as Kata's "virtio-fs" storage, and a container whose
/// read-write bind mount is a host directory: its write reaches the host, the host's later write reaches it, and
/// its read-only bind refuses writes. Afterwards no virtiofsd, QEMU or mount is left.
/// </summary>
public sealed class VirtioFsInVmTests
{
    private const string Virtiofsd = "/usr/lib/qemu/virtiofsd";
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_container_shares_a_read_write_host_directory_both_ways()
    {
        Assert.True(File.Exists(Virtiofsd), $"{Virtiofsd} is missing (Debian's qemu-system-common ships it)");
        using var timeout = new CancellationTokenSource(Long);
        var host = Directory.CreateDirectory(Path.Combine("/tmp", "svi-vfs-host-" + Guid.NewGuid().ToString("N")[..6])).FullName;
        var data = Directory.CreateDirectory(Path.Combine(host, "data")).FullName;
        var config = Directory.CreateDirectory(Path.Combine(host, "config")).FullName;
        await File.WriteAllTextAsync(Path.Combine(data, "from-host"), "host-1\n", timeout.Token);
        await File.WriteAllTextAsync(Path.Combine(config, "setting"), "ro-content\n", timeout.Token);
        var share = VirtioFsShare.Create(Path.Combine(host, "fs"));
        GuestVm? vm = null;
        IReadOnlyList<int> daemons = [];
        int? qemu = null;
        string[] mountsLeft;
        try
        {
            vm = await GuestVm.BootAsync(
                "vfs",
                configure: c => ((QemuConfig)c) with { SharedFs = SharedFs.VirtioFs, VirtioFsDaemon = Virtiofsd, VirtioFsCache = VirtioFsCacheMode.Never },
                cancellationToken: timeout.Token,
                sharedDirectory: share.SharedDirectory);
            qemu = vm.Hypervisor.Pid;
            daemons = ProcessesWith("source=" + share.SharedDirectory);
            Assert.NotEmpty(daemons);

            var sandbox = new CreateSandboxRequest { Hostname = "vfs", SandboxId = "vfs", Storages = [VirtioFsShare.GuestStorage()] };
            await vm.Agent.CreateSandboxAsync(sandbox, timeout.Token);

            var rw = new SharedBind(data, VirtioFsShare.GuestMountPoint + "/vfs-0-data", ReadOnly: false, Recursive: true);
            var ro = new SharedBind(config, VirtioFsShare.GuestMountPoint + "/vfs-1-config", ReadOnly: true, Recursive: true);
            share.Add("vfs", rw);
            share.Add("vfs", ro);
            OciMount Bind(SharedBind bind, string destination) => new()
            {
                Destination = destination,
                Type = "bind",
                Source = bind.GuestPath,
                Options = ["rbind", bind.ReadOnly ? "ro" : "rw"],
            };

            const string Script =
                "cat /data/from-host; echo guest-1 > /data/from-guest; cat /config/setting; " +
                "(echo x > /config/written) 2>/dev/null && echo WROTE || echo REFUSED; " +
                "i=0; while [ ! -f /data/later ] && [ $i -lt 600 ]; do sleep 0.2; i=$((i+1)); done; cat /data/later";
            await vm.RunContainerAsync("vfs", ["sh", "-c", Script], mounts: [Bind(rw, "/data"), Bind(ro, "/config")], cancellationToken: timeout.Token);

            // The container's write shows in the host directory itself; then the host answers through the same directory.
            var fromGuest = Path.Combine(data, "from-guest");
            while (!File.Exists(fromGuest))
            {
                await Task.Delay(100, timeout.Token);
            }

            await File.WriteAllTextAsync(Path.Combine(data, "later"), "host-2\n", timeout.Token);
            var stdout = Encoding.UTF8.GetString(await vm.ReadAllAsync("vfs", string.Empty, cancellationToken: timeout.Token));
            var status = await vm.Agent.WaitProcessAsync("vfs", string.Empty, timeout.Token);

            Assert.Equal("host-1\nro-content\nREFUSED\nhost-2\n", stdout);
            Assert.Equal(0, status);
            Assert.Equal("guest-1\n", await File.ReadAllTextAsync(fromGuest, timeout.Token));
            Assert.False(File.Exists(Path.Combine(config, "written")));

            await vm.Agent.RemoveContainerAsync("vfs", TimeSpan.FromSeconds(30), timeout.Token);
            share.RemoveContainer("vfs");
        }
        catch (Exception) when (vm is not null)
        {
            Console.Error.WriteLine(GuestVm.ConsoleTail(vm.Hypervisor, 60));
            throw;
        }
        finally
        {
            if (vm is not null)
            {
                await vm.DisposeAsync();
            }

            share.Dispose();
            mountsLeft = File.ReadLines("/proc/self/mountinfo").Where(l => l.Contains(host, StringComparison.Ordinal)).ToArray();
            if (mountsLeft.Length == 0)
            {
                Directory.Delete(host, recursive: true);
            }
        }

        Assert.Empty(mountsLeft);

        Assert.DoesNotContain(daemons, pid => Directory.Exists($"/proc/{pid}"));
        Assert.False(qemu is { } pid && Directory.Exists($"/proc/{pid}"), $"qemu pid {qemu} is still running");
    }

    private static int[] ProcessesWith(string marker) =>
        Directory.EnumerateDirectories("/proc")
            .Select(d => (Dir: d, Ok: int.TryParse(Path.GetFileName(d), out var pid), Pid: pid))
            .Where(p => p.Ok && ReadCommandLine(p.Dir).Contains(marker, StringComparison.Ordinal))
            .Select(p => p.Pid)
            .ToArray();

    private static string ReadCommandLine(string procDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
