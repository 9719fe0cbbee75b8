using Sealpod.Contract.Devices;

namespace Sealpod.Contract.Tests;

/// <summary>The host writes these addresses and the agent parses them: what one side formats, the other reads back.</summary>
public sealed class DeviceAddressTests
{
    [Theory]
    [InlineData(new[] { 1 }, "01")]
    [InlineData(new[] { 2, 0x1f }, "02/1f")]
    [InlineData(new[] { 10, 3, 5 }, "0a/03/05")]
    public void Pci_paths_format_as_hex_slots_and_parse_back(int[] slots, string text)
    {
        var path = new PciPath(slots);

        Assert.Equal(text, path.ToString());
        Assert.Equal(path, PciPath.Parse(text));
        Assert.Equal(slots.Select(s => (byte)s), PciPath.Parse(text).Slots);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("20")]
    [InlineData("1/")]
    [InlineData("001")]
    [InlineData("/dev/vda")]
    public void Malformed_pci_paths_are_refused_naming_the_text(string? text)
    {
        Assert.False(PciPath.TryParse(text, out _));
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => PciPath.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pci_slots_outside_the_bus_are_refused_when_built()
    {
        Assert.Throws<ArgumentException>(() => new PciPath());
        Assert.Throws<ArgumentOutOfRangeException>(() => new PciPath(2, 32));
    }

    [Theory]
    [InlineData(0, 1, "0:1")]
    [InlineData(255, 16383, "255:16383")]
    public void Scsi_addresses_format_as_target_colon_lun_and_parse_back(int target, int lun, string text)
    {
        Assert.Equal(text, new ScsiAddress(target, lun).ToString());
        Assert.Equal(new ScsiAddress(target, lun), ScsiAddress.Parse(text));
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0:1:2")]
    [InlineData("256:0")]
    [InlineData("0:16384")]
    [InlineData("0:-1")]
    public void Malformed_scsi_addresses_are_refused_naming_the_text(string text)
    {
        Assert.False(ScsiAddress.TryParse(text, out _));
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => ScsiAddress.Parse(text)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ScsiAddress(256, 0));
    }
}
