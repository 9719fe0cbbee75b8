namespace Sealpod.Tee;

/// <summary>Human names of the TEEs, for messages.</summary>
public static class TeeNames
{
    /// <summary>"SEV-SNP", "TDX", ...</summary>
    public static string Describe(ProtectionKind kind) => kind switch
    {
        ProtectionKind.None => "unprotected",
        ProtectionKind.Sev => "SEV",
        ProtectionKind.SevEs => "SEV-ES",
        ProtectionKind.SevSnp => "SEV-SNP",
        ProtectionKind.Tdx => "TDX",
        ProtectionKind.SecureExecution => "IBM Secure Execution",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown TEE"),
    };
}
