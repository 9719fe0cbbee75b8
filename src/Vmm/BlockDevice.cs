namespace Sealpod.Vmm;

/// <summary>A host file or block device given to the guest as a disk.</summary>
public sealed partial record BlockDevice
{
    /// <summary>
    /// The longest <see cref="Id"/> any driver accepts. QEMU's block node name is <c>drive-</c> plus the id, and QEMU
    /// refuses node names over 31 characters ("Node name too long"), so 31 - 6 = 25; Cloud Hypervisor gets the same
    /// limit so that one id works with either driver.
    /// </summary>
    public const int MaxIdLength = 25;

    /// <summary>
    /// Identifies the disk within the sandbox (QEMU node and device ids derive from it): letters,
    /// digits, '-' and '_', at most <see cref="MaxIdLength"/> characters, so it is safe inside QEMU
    /// option strings and ids.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>Absolute host path of the image or block device.</summary>
    public required string Path { get; init; }

    /// <summary>Whether the guest may only read it; images and init-data are read-only.</summary>
    public bool ReadOnly { get; init; } = true;

    /// <summary>An optional serial the guest can find the disk by (for example <c>initdata</c>).</summary>
    public string? Serial { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> unless <see cref="Id"/> is what every driver accepts.</summary>
    internal void ValidateId(string paramName)
    {
        if (Id is null || Id.Length > MaxIdLength || !IdPattern().IsMatch(Id))
        {
            throw new ArgumentException(
                $"block device id '{Id}' is invalid: expected 1-{MaxIdLength} letters, digits, '-' or '_' (QEMU names the disk's node 'drive-<id>', and node names are limited to 31 characters)",
                paramName);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex IdPattern();
}
