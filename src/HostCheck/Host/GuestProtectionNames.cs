namespace Sealpod.HostCheck.Host;

public static class GuestProtectionNames
{
    public static string ToName(this GuestProtection protection) => protection switch
    {
        GuestProtection.Sev => "sev",
        GuestProtection.SevEs => "sev-es",
        GuestProtection.Snp => "snp",
        GuestProtection.Tdx => "tdx",
        GuestProtection.Se => "se",
        _ => "none",
    };

    /// <summary>How people write it: SEV-SNP, Intel TDX, IBM Secure Execution.</summary>
    public static string ToDisplayName(this GuestProtection protection) => protection switch
    {
        GuestProtection.Sev => "AMD SEV",
        GuestProtection.SevEs => "AMD SEV-ES",
        GuestProtection.Snp => "AMD SEV-SNP",
        GuestProtection.Tdx => "Intel TDX",
        GuestProtection.Se => "IBM Secure Execution",
        _ => "no TEE",
    };

    /// <summary>The QEMU user-creatable object type that launches a guest of this kind.</summary>
    public static string? QemuObjectType(this GuestProtection protection) => protection switch
    {
        GuestProtection.Sev or GuestProtection.SevEs => "sev-guest",
        GuestProtection.Snp => "sev-snp-guest",
        GuestProtection.Tdx => "tdx-guest",
        GuestProtection.Se => "s390-pv-guest",
        _ => null,
    };

    public static bool IsAmd(this GuestProtection protection) =>
        protection is GuestProtection.Sev or GuestProtection.SevEs or GuestProtection.Snp;
}
