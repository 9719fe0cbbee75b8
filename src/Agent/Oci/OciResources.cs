namespace Sealpod.Agent.Oci;

/// <summary>cgroup limits.</summary>
internal sealed record OciResources
{
    public IReadOnlyList<OciDeviceRule>? Devices { get; init; }

    public OciMemory? Memory { get; init; }

    public OciCpu? Cpu { get; init; }

    public OciPids? Pids { get; init; }

    [JsonPropertyName("blockIO")]
    public OciBlockIo? BlockIo { get; init; }

    public IReadOnlyList<OciHugepageLimit>? HugepageLimits { get; init; }

    public OciNetwork? Network { get; init; }
}
