namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>
/// <c>device_add</c> for the disk frontends the runtime hotplugs. Properties a driver does not take
/// stay null and are omitted from the JSON.
/// </summary>
public sealed record DeviceAddArguments
{
    /// <summary>The device model, such as <c>virtio-blk-pci</c> or <c>scsi-hd</c>.</summary>
    [JsonPropertyName("driver")]
    public required string Driver { get; init; }

    /// <summary>The device id, used later by <c>device_del</c> and in DEVICE_DELETED.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    /// <summary>The block node backing the device.</summary>
    [JsonPropertyName("drive")]
    public string? Drive { get; init; }

    /// <summary>The bus to plug into (a PCI bridge, or a SCSI bus <c>scsi0.0</c>).</summary>
    [JsonPropertyName("bus")]
    public string? Bus { get; init; }

    /// <summary>The PCI slot as hex, for PCI devices.</summary>
    [JsonPropertyName("addr")]
    public string? Addr { get; init; }

    /// <summary>The SCSI channel.</summary>
    [JsonPropertyName("channel")]
    public int? Channel { get; init; }

    /// <summary>The SCSI target id.</summary>
    [JsonPropertyName("scsi-id")]
    public int? ScsiId { get; init; }

    /// <summary>The SCSI LUN.</summary>
    [JsonPropertyName("lun")]
    public int? Lun { get; init; }

    /// <summary>The disk serial.</summary>
    [JsonPropertyName("serial")]
    public string? Serial { get; init; }
}
