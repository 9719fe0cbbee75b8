namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>QEMU's version from the greeting.</summary>
public sealed record QmpVersion
{
    /// <summary>The numeric version.</summary>
    [JsonPropertyName("qemu")]
    public required QmpVersionTriple Qemu { get; init; }

    /// <summary>The distribution's package string.</summary>
    [JsonPropertyName("package")]
    public string Package { get; init; } = string.Empty;

    /// <inheritdoc />
    public override string ToString() => string.IsNullOrEmpty(Package) ? Qemu.ToString() : $"{Qemu} ({Package.Trim()})";
}
