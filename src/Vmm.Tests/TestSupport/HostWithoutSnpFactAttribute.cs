using Sealpod.Tee;
using Sealpod.Tee.Host;

namespace Sealpod.Vmm.Tests.TestSupport;

/// <summary>Runs only on hosts that cannot launch SEV-SNP guests: the test checks how such a host is refused.</summary>
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
