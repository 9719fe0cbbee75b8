namespace Sealpod.AgentClient.Oci;

/// <summary>The pids cgroup limit (runtime-spec <c>linux.resources.pids</c>).</summary>
public sealed record OciPids
{
    public long Limit { get; init; }
}
