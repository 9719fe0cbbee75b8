namespace Sealpod.Tee.PreAttestation;

/// <summary>
/// The secret-table GUIDs the attestation agent's SEV key broker clients look for in the injected launch secret
/// (attestation-agent online_sev_kbc / offline_sev_kbc, simple-kbs).
/// </summary>
public static class SevSecretGuids
{
    /// <summary>online_sev_kbc: a connection secret the guest uses to talk to the key broker itself.</summary>
    public static readonly Guid Online = new("1ee27366-0c87-43a6-af48-28543eaf7cb0");

    /// <summary>offline_sev_kbc: the key bundle itself.</summary>
    public static readonly Guid Offline = new("e6f5a162-d67f-4750-a67c-5d065f2a9910");
}
