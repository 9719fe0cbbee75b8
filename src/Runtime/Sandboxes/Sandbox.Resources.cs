namespace Sealpod.Runtime.Sandboxes;

public sealed partial class Sandbox
{
    /// <summary>Applies new cgroup limits to a container in the guest.</summary>
    public Task UpdateContainerAsync(string id, OciLinuxResources resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        GetContainer(id);
        ThrowIfVmGone($"update container {id}");
        return _agent.UpdateContainerAsync(id, resources, cancellationToken);
    }

    /// <summary>The guest's cgroup and network statistics of a container.</summary>
    public Task<ContainerStats> StatsContainerAsync(string id, CancellationToken cancellationToken)
    {
        GetContainer(id);
        ThrowIfVmGone($"read statistics of container {id}");
        return _agent.StatsContainerAsync(id, cancellationToken);
    }
}
