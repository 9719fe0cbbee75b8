namespace Sealpod.HostCheck.Host;

/// <summary>The confidential-guest technologies, named as <c>kata-runtime env</c> names them.</summary>
public enum GuestProtection
{
    None,
    Sev,
    SevEs,
    Snp,
    Tdx,
    Se,
}
