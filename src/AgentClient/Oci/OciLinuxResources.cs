namespace Sealpod.AgentClient.Oci;

/// <summary>Cgroup limits (runtime-spec <c>linux.resources</c>, and containerd's Update).</summary>
public sealed record OciLinuxResources
{
    public IReadOnlyList<OciDeviceCgroup> Devices { get; init; } = [];

    public OciMemory? Memory { get; init; }

    public OciCpu? Cpu { get; init; }

    public OciPids? Pids { get; init; }

    public OciBlockIo? BlockIo { get; init; }

    public IReadOnlyList<OciHugepageLimit> HugepageLimits { get; init; } = [];

    public OciNetwork? Network { get; init; }
}
