namespace Sealpod.Vmm.Tests.CloudHypervisor;

/// <summary>
/// Where Cloud Hypervisor says a disk landed (vm.info's device_tree pci_bdf, vm.add-disk's bdf). Its answers are
/// another process's data: a missing or impossible address is a HypervisorException naming the disk. The two refusals
/// below were found by fuzzing (make fuzz, target clh-response): they were an ArgumentNullException and an
/// ArgumentOutOfRangeException from PciPath.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ClhBdfTests
{
    [Theory]
    [InlineData("0000:00:05.0", "05")]
    [InlineData("0000:00:1f.7", "1f")]
    public void A_root_bus_address_becomes_the_device_slot(string bdf, string expected) =>
        Assert.Equal(expected, ClhHypervisor.ParseBdf(bdf, "disk0").ToString());

    [Theory]
    [InlineData(null, "did not say at which PCI address disk 'disk0' is")]
    [InlineData("0000:00:86.0", "device 134 is past the 32 slots of a PCI bus")]
    [InlineData("0000:01:05.0", "expected segment:00:device.function on the root bus")]
    [InlineData("05", "expected segment:00:device.function on the root bus")]
    public void A_missing_or_impossible_address_is_refused_naming_the_disk(string? bdf, string expected)
    {
        var error = Assert.Throws<HypervisorException>(() => ClhHypervisor.ParseBdf(bdf, "disk0"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("disk0", error.Message, StringComparison.Ordinal);
    }
}
