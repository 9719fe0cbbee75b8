namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// <c>-bios PATH</c>: firmware loaded as a ROM image. SEV-SNP (AMDSEV.fd) and TDX (TDVF) boot
/// this way because their firmware is measured as part of the launch.
/// </summary>
public sealed record BiosFirmware(string Path) : Firmware
{
    /// <inheritdoc />
    public override IEnumerable<string> Render() => ["-bios", Path];
}
