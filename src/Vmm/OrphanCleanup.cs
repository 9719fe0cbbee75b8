namespace Sealpod.Vmm;

/// <summary>What cleaning up after a VM whose owner was lost found and did.</summary>
/// <param name="HypervisorPid">The hypervisor process that was killed, or null when none was running.</param>
/// <param name="Warnings">What could not be cleaned, one sentence each.</param>
public sealed record OrphanCleanup(int? HypervisorPid, IReadOnlyList<string> Warnings)
{
    /// <summary>Nothing was there.</summary>
    public static OrphanCleanup None { get; } = new(null, []);

    /// <summary>Both results together; the first hypervisor pid found wins.</summary>
    public OrphanCleanup Merge(OrphanCleanup other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new OrphanCleanup(HypervisorPid ?? other.HypervisorPid, [.. Warnings, .. other.Warnings]);
    }
}
