namespace Sealpod.Vmm.Qemu.Args;

/// <summary><c>-device scsi-hd,drive=NODE,id=ID,bus=CTRL.0,channel=0,scsi-id=N,lun=M</c>.</summary>
public sealed record ScsiHd(string Id, string Drive, string Bus, ScsiAddress Address) : IQemuArgs
{
    /// <summary>The serial the guest sees in the SCSI VPD page.</summary>
    public string? Serial { get; init; }

    /// <inheritdoc />
    public IEnumerable<string> Render() =>
    [
        "-device",
        new QemuOptionList("scsi-hd")
            .Add("drive", Drive)
            .Add("id", Id)
            .Add("bus", Bus)
            .Add("channel", 0L)
            .Add("scsi-id", Address.ScsiId)
            .Add("lun", Address.Lun)
            .Add("serial", Serial)
            .ToString(),
    ];
}
