namespace Sealpod.Vmm.Qemu.Args;

/// <summary>
/// Firmware as two pflash drives: read-only code plus an optional writable variable store
/// (OVMF_CODE/OVMF_VARS), the layout plain SEV and ordinary UEFI guests use.
/// </summary>
public sealed record PflashFirmware(string CodePath) : Firmware
{
    /// <summary>The UEFI variable store, writable; null for a code-only image.</summary>
    public string? VarsPath { get; init; }

    /// <inheritdoc />
    public override IEnumerable<string> Render()
    {
        var code = new QemuOptionList()
            .Add("if", "pflash").Add("format", "raw").Add("unit", 0L).Add("readonly", true).Add("file", CodePath);
        if (VarsPath is null)
        {
            return ["-drive", code.ToString()];
        }

        var vars = new QemuOptionList()
            .Add("if", "pflash").Add("format", "raw").Add("unit", 1L).Add("file", VarsPath);
        return ["-drive", code.ToString(), "-drive", vars.ToString()];
    }
}
