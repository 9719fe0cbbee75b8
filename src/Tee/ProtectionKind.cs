namespace Sealpod.Tee;

/// <summary>The confidential-computing technologies Sealpod launches guests with.</summary>
public enum ProtectionKind
{
    /// <summary>An ordinary VM.</summary>
    None,

    /// <summary>AMD SEV: memory encryption.</summary>
    Sev,

    /// <summary>AMD SEV-ES: SEV plus encrypted register state (SEV policy bit 2).</summary>
    SevEs,

    /// <summary>AMD SEV-SNP: encryption plus memory integrity and attestation reports.</summary>
    SevSnp,

    /// <summary>Intel TDX.</summary>
    Tdx,

    /// <summary>IBM Secure Execution (s390x protected virtualization).</summary>
    SecureExecution,
}
