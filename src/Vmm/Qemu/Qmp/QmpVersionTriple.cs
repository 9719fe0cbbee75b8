namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>major.minor.micro.</summary>
public sealed record QmpVersionTriple
{
    /// <summary>Major version.</summary>
    [JsonPropertyName("major")]
    public int Major { get; init; }

    /// <summary>Minor version.</summary>
    [JsonPropertyName("minor")]
    public int Minor { get; init; }

    /// <summary>Micro version.</summary>
    [JsonPropertyName("micro")]
    public int Micro { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"{Major}.{Minor}.{Micro}";
}
