namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>Arguments of QMP <c>sev-inject-launch-secret</c> (qapi/misc-target.json).</summary>
internal sealed record SevInjectLaunchSecretArguments
{
    /// <summary>Base64 launch secret packet header.</summary>
    [JsonPropertyName("packet-header")]
    public required string PacketHeader { get; init; }

    /// <summary>Base64 launch secret.</summary>
    [JsonPropertyName("secret")]
    public required string Secret { get; init; }

    // Records print every property; this one holds a secret.
    public override string ToString() => "SevInjectLaunchSecretArguments { (redacted) }";
}
