namespace Sealpod.Tee.Tests.TestSupport;

/// <summary>The theory form of <see cref="HostWithoutSnpFactAttribute"/>.</summary>
public sealed class HostWithoutSnpTheoryAttribute : TheoryAttribute
{
    public HostWithoutSnpTheoryAttribute() => Skip = HostWithoutSnpFactAttribute.SkipOnSnpHost();
}
