namespace Sealpod.Vmm.Qemu.Qmp;

/// <summary>One entry of <c>query-cpus-fast</c>: a vCPU and the host thread that runs it.</summary>
public sealed record QmpCpuInfo
{
    [JsonPropertyName("cpu-index")]
    public int CpuIndex { get; init; }

    /// <summary>The host thread id (TCG with one thread for all vCPUs reports the same id for each).</summary>
    [JsonPropertyName("thread-id")]
    public int ThreadId { get; init; }
}
