namespace Sealpod.Vmm.Qemu.Args;

/// <summary>A switch without a value. The known ones are static members so nobody types them twice.</summary>
public sealed record QemuFlag : IQemuArgs
{
    private QemuFlag(string flag) => Flag = flag;

    /// <summary>No default devices (NIC, VGA, serial, monitor): every device is on our command line.</summary>
    public static QemuFlag NoDefaults { get; } = new("-nodefaults");

    /// <summary>Ignore host-wide QEMU config files, so the VM is exactly what we render.</summary>
    public static QemuFlag NoUserConfig { get; } = new("-no-user-config");

    /// <summary>A guest reboot makes QEMU exit: a sandbox VM is never rebooted in place.</summary>
    public static QemuFlag NoReboot { get; } = new("-no-reboot");

    /// <summary>Do not start the vCPUs until <c>cont</c> (pre-attestation, debugging).</summary>
    public static QemuFlag FreezeAtStartup { get; } = new("-S");

    /// <summary>The switch itself.</summary>
    public string Flag { get; }

    /// <inheritdoc />
    public IEnumerable<string> Render() => [Flag];
}
