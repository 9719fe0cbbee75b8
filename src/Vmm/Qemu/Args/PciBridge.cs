namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-device pci-bridge,bus=pcie.0,id=ID,chassis_nr=N,shpc=off,addr=A,...</c>. q35's root bus is
/// not hotpluggable; like Kata, hotplugged virtio-blk devices go on a bridge with ACPI hotplug
/// (SHPC off) and small resource reservations so each slot can take a device.
/// </summary>
public sealed record PciBridge(string Id, int ChassisNr, PciAddress Address) : IQemuArgs
{
    /// <summary>First slot usable for devices; slot 0 is left to the bridge itself, as Kata does.</summary>
    public const int FirstSlot = 1;

    /// <summary>Last slot on a conventional PCI bus.</summary>
    public const int LastSlot = 31;

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-device",
        new QemuOptionList("pci-bridge")
            .Add("bus", Address.Bus)
            .Add("id", Id)
            .Add("chassis_nr", ChassisNr)
            .Add("shpc", false)
            .Add("addr", Address.Addr)
            .Add("io-reserve", "4k")
            .Add("mem-reserve", "1m")
            .Add("pref64-reserve", "1m")
            .ToString(),
    ];
}
