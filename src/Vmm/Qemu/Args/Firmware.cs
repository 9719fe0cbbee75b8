namespace Sealpod.Vmm.Qemu.Args;

/// <summary>The guest firmware: a ROM image (<see cref="BiosFirmware"/>) or pflash drives (<see cref="PflashFirmware"/>).</summary>
public abstract record Firmware : IQemuArgs
{
    /// <inheritdoc />
    public abstract IEnumerable<string> Render();
}
