namespace Sealpod.Runtime.Cgroups;

/// <summary>
/// What the pod cgroup is limited to on the host, where Kata limits it: the sandbox spec's cpuset
/// (<c>linux.resources.cpu.cpus/mems</c>) and the pod's CPU as CRI states it in the sandbox sizing annotations
/// (quota, period, shares). Memory is not limited here: the VM's memory is the guest's default memory plus the
/// workload's plus QEMU's own, and kubelet's pod cgroup above already holds the pod's limit with its overhead.
/// </summary>
public sealed record PodCgroupResources(string CpusetCpus, string CpusetMems, long CpuQuota, long CpuPeriod, long CpuShares)
{
    public static PodCgroupResources None { get; } = new(string.Empty, string.Empty, 0, 0, 0);

    /// <summary>
    /// Reads the sandbox's spec and annotations. The annotations have already passed <see cref="SandboxSizing.FromAnnotations"/>,
    /// which refuses malformed values by name.
    /// </summary>
    public static PodCgroupResources From(OciBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        string cpus = string.Empty;
        string mems = string.Empty;
        using (var document = JsonDocument.Parse(bundle.ConfigJson))
        {
            if (document.RootElement.TryGetProperty("linux", out var linux) && linux.ValueKind == JsonValueKind.Object
                && linux.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Object
                && resources.TryGetProperty("cpu", out var cpu) && cpu.ValueKind == JsonValueKind.Object)
            {
                cpus = cpu.TryGetProperty("cpus", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : string.Empty;
                mems = cpu.TryGetProperty("mems", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : string.Empty;
            }
        }

        return new PodCgroupResources(cpus, mems,
            Number(bundle.Annotations, SandboxSizing.CpuQuotaKey), Number(bundle.Annotations, SandboxSizing.CpuPeriodKey), Number(bundle.Annotations, SandboxSizing.CpuSharesKey));
    }

    /// <summary>Writes the limits that are set into <paramref name="cgroup"/>, in its hierarchy version's files.</summary>
    public void ApplyTo(HostCgroup cgroup)
    {
        ArgumentNullException.ThrowIfNull(cgroup);
        bool v1 = cgroup.Hierarchies.Version == CgroupVersion.V1;
        if (CpusetMems.Length > 0)
        {
            cgroup.Write("cpuset", "cpuset.mems", CpusetMems);
        }

        if (CpusetCpus.Length > 0)
        {
            cgroup.Write("cpuset", "cpuset.cpus", CpusetCpus);
        }

        if (CpuShares > 0)
        {
            cgroup.Write("cpu", v1 ? "cpu.shares" : "cpu.weight", Text(v1 ? CpuShares : SharesToWeight(CpuShares)));
        }

        if (v1)
        {
            if (CpuPeriod > 0)
            {
                cgroup.Write("cpu", "cpu.cfs_period_us", Text(CpuPeriod));
            }

            if (CpuQuota > 0)
            {
                cgroup.Write("cpu", "cpu.cfs_quota_us", Text(CpuQuota));
            }
        }
        else if (CpuQuota > 0)
        {
            cgroup.Write("cpu", "cpu.max", $"{Text(CpuQuota)} {Text(CpuPeriod > 0 ? CpuPeriod : 100_000)}");
        }
    }

    /// <summary>cgroup v1 shares (2..262144) to v2 weight (1..10000), the conversion runc and the kernel documentation use.</summary>
    public static long SharesToWeight(long shares) => shares <= 0 ? 0 : 1 + ((Math.Clamp(shares, 2, 262_144) - 2) * 9999 / 262_142);

    private static long Number(IReadOnlyDictionary<string, string> annotations, string key) =>
        annotations.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value) ? value : 0;

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
}
