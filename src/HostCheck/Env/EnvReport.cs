namespace Sealpod.HostCheck.Env;

/// <summary>What <c>sealpod env</c> shows: the effective configuration, component versions and guest protections.</summary>
public sealed record EnvReport(
    ConfigLoadOutcome Config,
    IReadOnlyList<ComponentVersion> Versions,
    CpuArchitecture Architecture,
    string CpuVendor,
    string CpuModel,
    IReadOnlyList<GuestProtection> GuestProtections,
    bool KvmUsable)
{
    /// <summary>The strongest protection, the one value <c>kata-runtime env</c> prints.</summary>
    public GuestProtection BestProtection => GuestProtections[0];
}
