using Sealpod.Tee.Host;

namespace Sealpod.Tee.Tests.TestSupport;

/// <summary>
/// Runs only on hosts that cannot launch SEV-SNP guests (this development machine, most CI machines): the test checks
/// how such a host is refused, which an SNP host would not do.
/// </summary>
public sealed class HostWithoutSnpFactAttribute : FactAttribute
{
    public HostWithoutSnpFactAttribute()
    {
        if (TeeHostSupport.Check(ProtectionKind.SevSnp).IsSupported)
        {
            Skip = "this host can launch SEV-SNP guests";
        }
    }
}
