using Sealpod.Tee.Host;

namespace Sealpod.Tee.Tests.TestSupport;

/// <summary>The theory form of <see cref="HostWithoutSnpFactAttribute"/>.</summary>
public sealed class HostWithoutSnpTheoryAttribute : TheoryAttribute
{
    public HostWithoutSnpTheoryAttribute()
    {
        if (TeeHostSupport.Check(ProtectionKind.SevSnp).IsSupported)
        {
            Skip = "this host can launch SEV-SNP guests";
        }
    }
}
