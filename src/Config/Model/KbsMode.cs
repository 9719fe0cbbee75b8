namespace Sealpod.Config;

/// <summary><c>guest_pre_attestation_kbs_mode</c>: how simple-kbs releases the SEV pre-attestation secret.</summary>
public enum KbsMode
{
    /// <summary><c>online</c>: inject a connection secret; the guest talks to the KBS itself (<c>online_sev_kbc</c>).</summary>
    Online,

    /// <summary><c>offline</c>: inject the key bundle directly (<c>offline_sev_kbc</c>).</summary>
    Offline,
}
