using Sealpod.Tee.Host;

namespace Sealpod.Tee.TestSupport;

/// <summary>
/// Runs only on hosts that cannot launch SEV-SNP guests (this development machine, most CI machines): the test checks
/// how such a host is refused, which an SNP host would not do.
/// </summary>
public sealed class HostWithoutSnpFactAttribute : FactAttribute
{
    public HostWithoutSnpFactAttribute() => Skip = SkipOnSnpHost();

    /// <summary>Why a test that needs a host without SEV-SNP skips here, or null where it runs (the theory form's too).</summary>
    public static string? SkipOnSnpHost() =>
        TeeHostSupport.Check(ProtectionKind.SevSnp).IsSupported ? "this host can launch SEV-SNP guests" : null;
}
