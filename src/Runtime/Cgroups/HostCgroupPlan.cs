namespace Sealpod.Runtime.Cgroups;

/// <summary>
/// Where a sandbox's host processes go, decided at Create before anything boots (a bad cgroupsPath fails there).
/// </summary>
/// <param name="PodPath">The pod cgroup (<see cref="PodCgroupPath.Resolve"/>).</param>
/// <param name="OverheadPath">With <c>sandbox_cgroup_only = false</c>, the overhead cgroup for what is not a vCPU; otherwise null.</param>
/// <param name="Resources">The pod cgroup's limits.</param>
public sealed record HostCgroupPlan(string PodPath, string? OverheadPath, PodCgroupResources Resources)
{
    /// <summary>Whether everything the sandbox runs on the host goes into the pod cgroup.</summary>
    public bool SandboxCgroupOnly => OverheadPath is null;

    /// <exception cref="Errors.InvalidArgumentException">The spec's cgroupsPath is not usable.</exception>
    public static HostCgroupPlan From(OciBundle bundle, string sandboxId, SealpodConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(configuration);
        string? cgroupsPath = null;
        using (var document = JsonDocument.Parse(bundle.ConfigJson))
        {
            if (document.RootElement.TryGetProperty("linux", out var linux) && linux.ValueKind == JsonValueKind.Object
                && linux.TryGetProperty("cgroupsPath", out var path) && path.ValueKind == JsonValueKind.String)
            {
                cgroupsPath = path.GetString();
            }
        }

        string pod = PodCgroupPath.Resolve(cgroupsPath, sandboxId, Path.Combine(bundle.Directory, "config.json"));
        return new HostCgroupPlan(pod, configuration.Runtime.SandboxCgroupOnly ? null : PodCgroupPath.Overhead(sandboxId), PodCgroupResources.From(bundle));
    }
}
