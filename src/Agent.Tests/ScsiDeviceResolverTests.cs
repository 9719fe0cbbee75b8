using Sealpod.Contract.Devices;

namespace Sealpod.Agent.Tests;

/// <summary>The resolver against a sysfs-shaped tree laid out as the kernel does for a virtio-scsi disk.</summary>
public sealed class ScsiDeviceResolverTests() : TempDirectoryTest("sealpod-scsi-")
{
    [Theory]
    [InlineData("0:1", 0, 1)]
    [InlineData("3:16383", 3, 16383)]
    public void Parses_target_and_lun(string text, int target, int lun) =>
        Assert.Equal(new ScsiAddress(target, lun), DeviceAddresses.ParseScsi(text));

    [Theory]
    [InlineData("")]
    [InlineData("1")]
    [InlineData("0:1:2")]
    [InlineData("256:0")]
    [InlineData("0:-1")]
    [InlineData("../0:1")]
    public void Rejects_malformed_addresses_naming_them(string text)
    {
        var error = Assert.Throws<InvalidArgumentException>(() => DeviceAddresses.ParseScsi(text));
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scans_every_host_then_finds_the_disk_of_that_address()
    {
        string host = Directory.CreateDirectory(Temp.Combine("sys", "class", "scsi_host", "host0")).FullName;
        File.WriteAllText(Path.Combine(host, "scan"), string.Empty);
        Directory.CreateDirectory(Temp.Combine("sys", "bus", "scsi", "devices", "0:0:0:2", "block", "sda"));
        File.WriteAllText(Temp.Combine("sys", "bus", "scsi", "devices", "0:0:0:2", "block", "sda", "size"), "2048\n");
        var resolver = new ScsiDeviceResolver(Temp.Combine("sys"), Temp.Combine("dev"));
        Directory.CreateDirectory(Temp.Combine("dev"));

        // The disk appears (as the kernel would after the scan) only once the scan was requested.
        var appear = Task.Run(async () =>
        {
            while (File.ReadAllText(Path.Combine(host, "scan")).Length == 0)
            {
                await Task.Delay(10);
            }

            string disk = Directory.CreateDirectory(Temp.Combine("sys", "bus", "scsi", "devices", "0:0:0:1", "block", "sdb")).FullName;
            File.WriteAllText(Temp.Combine("dev", "sdb"), string.Empty);

            // The node exists before sd has read the capacity; only a known size makes it usable.
            File.WriteAllText(Path.Combine(disk, "size"), "0\n");
            await Task.Delay(100);
            Assert.Null(resolver.TryResolve(new ScsiAddress(0, 1)));
            File.WriteAllText(Path.Combine(disk, "size"), "4096\n");
        });
        string device = await resolver.WaitAsync(new ScsiAddress(0, 1), TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
        await appear;

        Assert.Equal(Temp.Combine("dev", "sdb"), device);
        Assert.Equal("0 0 1", File.ReadAllText(Path.Combine(host, "scan")));
    }

    [Fact]
    public async Task A_disk_that_never_appears_times_out_naming_the_address()
    {
        var resolver = new ScsiDeviceResolver(Temp.Combine("sys"), Temp.Combine("dev"));

        var error = await Assert.ThrowsAsync<TimeoutException>(() => resolver.WaitAsync(new ScsiAddress(0, 7), TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None));

        Assert.Contains("SCSI disk 0:7", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_disk_that_does_not_open_is_the_previous_one_going_away_and_is_skipped()
    {
        string disk = Directory.CreateDirectory(Temp.Combine("sys", "bus", "scsi", "devices", "0:0:0:3", "block", "sdc")).FullName;
        File.WriteAllText(Path.Combine(disk, "size"), "4096\n");
        Directory.CreateDirectory(Temp.Combine("dev"));
        File.WriteAllText(Temp.Combine("dev", "sdc"), string.Empty);
        bool live = false;
        var resolver = new ScsiDeviceResolver(Temp.Combine("sys"), Temp.Combine("dev"), _ => live);

        Assert.Null(resolver.TryResolve(new ScsiAddress(0, 3)));
        live = true;
        Assert.Equal(Temp.Combine("dev", "sdc"), resolver.TryResolve(new ScsiAddress(0, 3)));
    }

    [Fact]
    [Trait(TestCategories.Name, TestCategories.Root)]
    public void The_real_open_check_refuses_a_block_node_without_a_disk()
    {
        // A block node whose major:minor names no disk answers ENXIO on open, as a removed disk does.
        string dev = Directory.CreateDirectory(Temp.Combine("dev")).FullName;
        string node = Path.Combine(dev, "sdz");
        // Not through System.Diagnostics.Process: other tests in this process run the agent's reaper,
        // which takes every child's exit.
        Assert.Equal(0, LibC.MkNod(node, 0x6000 | 0x180, (8UL << 8) | (4000UL & 0xff) | ((4000UL & ~0xffUL) << 12)));
        string disk = Directory.CreateDirectory(Temp.Combine("sys", "bus", "scsi", "devices", "0:0:0:4", "block", "sdz")).FullName;
        File.WriteAllText(Path.Combine(disk, "size"), "4096\n");
        var resolver = new ScsiDeviceResolver(Temp.Combine("sys"), dev);

        Assert.Null(resolver.TryResolve(new ScsiAddress(0, 4)));
    }

    [Fact]
    public void Deleting_a_disk_writes_the_delete_file_of_its_scsi_device_only()
    {
        string mine = Directory.CreateDirectory(Temp.Combine("sys", "bus", "scsi", "devices", "0:0:0:5")).FullName;
        Directory.CreateDirectory(Path.Combine(mine, "block", "sdd"));
        File.WriteAllText(Path.Combine(mine, "delete"), string.Empty);
        string other = Directory.CreateDirectory(Temp.Combine("sys", "bus", "scsi", "devices", "0:0:0:6")).FullName;
        Directory.CreateDirectory(Path.Combine(other, "block", "sde"));
        File.WriteAllText(Path.Combine(other, "delete"), string.Empty);
        var resolver = new ScsiDeviceResolver(Temp.Combine("sys"), Temp.Combine("dev"));

        Assert.True(resolver.TryDelete("/dev/sdd"));
        Assert.False(resolver.TryDelete("/dev/sdq"));

        Assert.Equal("1", File.ReadAllText(Path.Combine(mine, "delete")));
        Assert.Equal(string.Empty, File.ReadAllText(Path.Combine(other, "delete")));
    }

    [Fact]
    public async Task A_target_scan_asks_every_host_for_all_its_luns_and_waits_for_each_disk_found_there()
    {
        string[] hosts = ["host0", "host1"];
        foreach (var host in hosts)
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Temp.Combine("sys", "class", "scsi_host", host)).FullName, "scan"), string.Empty);
        }

        string devices = Directory.CreateDirectory(Temp.Combine("sys", "bus", "scsi", "devices")).FullName;
        string dev = Directory.CreateDirectory(Temp.Combine("dev")).FullName;
        // As the kernel leaves it when the scan returns: the SCSI devices exist, sd has not attached the disks yet.
        // 0:0:0:2 is a CD-ROM (type 5), 0:0:1:0 a disk on another target (not scanned for, not waited for), and
        // "target0:0:0" the target itself.
        foreach (var (address, type) in new[] { ("0:0:0:0", "0"), ("0:0:0:1", "0"), ("0:0:0:2", "5"), ("0:0:1:0", "0") })
        {
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(devices, address)).FullName, "type"), type + "\n");
        }

        Directory.CreateDirectory(Path.Combine(devices, "target0:0:0"));
        var resolver = new ScsiDeviceResolver(Temp.Combine("sys"), dev, _ => true);
        var attach = Task.Run(async () =>
        {
            while (File.ReadAllText(Temp.Combine("sys", "class", "scsi_host", "host1", "scan")).Length == 0)
            {
                await Task.Delay(10);
            }

            foreach (var (address, name) in new[] { ("0:0:0:1", "sdb"), ("0:0:0:0", "sda") })
            {
                await Task.Delay(50);
                File.WriteAllText(Path.Combine(dev, name), string.Empty);
                File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(devices, address, "block", name)).FullName, "size"), "8\n");
            }
        });

        var disks = await resolver.ScanTargetAsync(0, TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
        await attach;

        Assert.Equal([Path.Combine(dev, "sda"), Path.Combine(dev, "sdb")], disks);
        Assert.All(hosts, host => Assert.Equal("0 0 -", File.ReadAllText(Temp.Combine("sys", "class", "scsi_host", host, "scan"))));
    }

    [Fact]
    public async Task A_target_scan_gives_up_on_a_disk_that_never_attaches_and_returns_the_others()
    {
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Temp.Combine("sys", "class", "scsi_host", "host0")).FullName, "scan"), string.Empty);
        string devices = Directory.CreateDirectory(Temp.Combine("sys", "bus", "scsi", "devices")).FullName;
        string dev = Directory.CreateDirectory(Temp.Combine("dev")).FullName;
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(devices, "0:0:0:0", "block", "sda")).FullName, "size"), "8\n");
        File.WriteAllText(Path.Combine(devices, "0:0:0:0", "type"), "0\n");
        File.WriteAllText(Path.Combine(dev, "sda"), string.Empty);
        File.WriteAllText(Path.Combine(Directory.CreateDirectory(Path.Combine(devices, "0:0:0:1")).FullName, "type"), "0\n");
        var resolver = new ScsiDeviceResolver(Temp.Combine("sys"), dev, _ => true);

        var disks = await resolver.ScanTargetAsync(0, TimeSpan.FromMilliseconds(200), TimeProvider.System, CancellationToken.None);

        Assert.Equal([Path.Combine(dev, "sda")], disks);
    }

    [Fact]
    public async Task Without_scsi_hosts_a_target_scan_finds_nothing_at_once()
    {
        var resolver = new ScsiDeviceResolver(Temp.Combine("sys"), Temp.Combine("dev"));

        Assert.Empty(await resolver.ScanTargetAsync(0, TimeSpan.FromDays(1), TimeProvider.System, CancellationToken.None));
    }
}
