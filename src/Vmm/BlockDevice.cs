namespace Sealpod.Vmm;

/// <summary>A host file or block device given to the guest as a disk.</summary>
public sealed record BlockDevice
{
    /// <summary>
    /// Identifies the disk within the sandbox (QEMU node and device ids derive from it): letters,
    /// digits, '-' and '_', at most 32 characters, so it is safe inside QEMU option strings and ids.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>Absolute host path of the image or block device.</summary>
    public required string Path { get; init; }

    /// <summary>Whether the guest may only read it; images and init-data are read-only.</summary>
    public bool ReadOnly { get; init; } = true;

    /// <summary>An optional serial the guest can find the disk by (for example <c>initdata</c>).</summary>
    public string? Serial { get; init; }
}
