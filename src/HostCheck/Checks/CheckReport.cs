namespace Sealpod.HostCheck.Checks;

/// <summary>The whole outcome of <c>sealpod check</c>: what was checked on which host, every result, and the verdict.</summary>
public sealed record CheckReport(
    string KernelRelease,
    CpuArchitecture Architecture,
    string CpuVendor,
    string CpuModel,
    IReadOnlyList<GuestProtection> GuestProtections,
    string? ConfigPath,
    string ContainerdConfigPath,
    IReadOnlyList<CheckResult> Results)
{
    public int Count(CheckStatus status) => Results.Count(r => r.Status == status);

    /// <summary>True when nothing failed: the host can run the configuration (warnings are limitations, not blockers).</summary>
    public bool Ready => Results.All(r => r.Status != CheckStatus.Fail);

    /// <summary>0 when nothing FAILs, 1 otherwise.</summary>
    public int ExitCode => Ready ? 0 : 1;

    public CheckResult? Find(string id) => Results.FirstOrDefault(r => r.Id == id);
}
