namespace Sealpod.Tee.PreAttestation;

/// <summary>
/// The wrapped secret from the key broker for QMP <c>sev-inject-launch-secret</c>: the packet header and the encrypted
/// payload, both base64 as simple-kbs returns them. Only the PSP can unwrap it, but it is still a secret: its text never
/// reaches a log, an exception or <see cref="ToString"/>.
/// </summary>
public sealed class SevLaunchSecret
{
    /// <summary>Wraps the key broker's answer.</summary>
    public SevLaunchSecret(string packetHeader, string secret)
    {
        ArgumentException.ThrowIfNullOrEmpty(packetHeader);
        ArgumentException.ThrowIfNullOrEmpty(secret);
        PacketHeader = packetHeader;
        Secret = secret;
    }

    /// <summary>Base64 packet header (QMP <c>packet-header</c>).</summary>
    public string PacketHeader { get; }

    /// <summary>Base64 encrypted secret (QMP <c>secret</c>).</summary>
    public string Secret { get; }

    /// <summary>Redacted.</summary>
    public override string ToString() => $"SevLaunchSecret(header: {PacketHeader.Length} chars, secret: {Secret.Length} chars)";
}
