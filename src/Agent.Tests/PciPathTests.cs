using Sealpod.Contract.Devices;

namespace Sealpod.Agent.Tests;

/// <summary>
/// Kata PCI paths and their resolution through sysfs. PCI hot-plug cannot happen on this host, so
/// the sysfs tree is a directory laid out as the guest kernel lays it out (bus/pci/devices/ADDR,
/// pci_bus/ of a bridge, virtio*/block/NAME) and /dev a directory with the node's name.
/// </summary>
public sealed class PciPathTests() : TempDirectoryTest("sealpod-pci-")
{
    [Theory]
    [InlineData("01", new byte[] { 1 })]
    [InlineData("02/1f", new byte[] { 2, 0x1f })]
    [InlineData("0a/03/05", new byte[] { 10, 3, 5 })]
    public void Parses_hex_slots(string text, byte[] slots)
    {
        var path = DeviceAddresses.ParsePci(text);

        Assert.Equal(slots, path.Slots);
    }

    [Theory]
    [InlineData("")]
    [InlineData("20")]
    [InlineData("1/")]
    [InlineData("xyz")]
    [InlineData("001")]
    [InlineData("/dev/vda")]
    public void Rejects_what_is_not_a_pci_path(string text)
    {
        Assert.Throws<InvalidArgumentException>(() => DeviceAddresses.ParsePci(text));
    }

    [Fact]
    public void Resolves_a_disk_on_the_root_bus()
    {
        AddDevice("0000:00:05.0", virtioBlock: "vdb");

        var resolver = new BlockDeviceResolver(Temp.Combine("sys"), Temp.Combine("dev"));

        Assert.Equal(Temp.Combine("dev", "vdb"), resolver.TryResolve(DeviceAddresses.ParsePci("05")));
        Assert.Null(resolver.TryResolve(DeviceAddresses.ParsePci("06")));
    }

    [Fact]
    public void Resolves_a_disk_behind_a_bridge_through_its_secondary_bus()
    {
        var bridge = AddDevice("0000:00:02.0", virtioBlock: null);
        Directory.CreateDirectory(Path.Combine(bridge, "pci_bus", "0000:01"));
        AddDevice("0000:01:03.0", virtioBlock: "vdc");

        var resolver = new BlockDeviceResolver(Temp.Combine("sys"), Temp.Combine("dev"));

        Assert.Equal(Temp.Combine("dev", "vdc"), resolver.TryResolve(DeviceAddresses.ParsePci("02/03")));
        Assert.Null(resolver.TryResolve(DeviceAddresses.ParsePci("03")));
    }

    [Fact]
    public async Task Waits_until_the_hot_plugged_disk_appears()
    {
        var resolver = new BlockDeviceResolver(Temp.Combine("sys"), Temp.Combine("dev"));
        var waiting = resolver.WaitAsync(DeviceAddresses.ParsePci("07"), TimeSpan.FromSeconds(20), TimeProvider.System, CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        AddDevice("0000:00:07.0", virtioBlock: "vdd");

        Assert.Equal(Temp.Combine("dev", "vdd"), await waiting);
    }
    private string AddDevice(string address, string? virtioBlock)
    {
        var device = Temp.Combine("sys", "bus", "pci", "devices", address);
        Directory.CreateDirectory(device);
        if (virtioBlock is not null)
        {
            Directory.CreateDirectory(Path.Combine(device, "virtio3", "block", virtioBlock));
            Directory.CreateDirectory(Temp.Combine("dev"));
            File.WriteAllText(Temp.Combine("dev", virtioBlock), "");
        }

        return device;
    }
}
