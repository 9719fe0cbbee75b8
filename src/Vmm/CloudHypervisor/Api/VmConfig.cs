namespace Sealpod.Vmm.CloudHypervisor.Api;

/// <summary>The <c>vm.create</c> body (OpenAPI <c>VmConfig</c>): the whole VM, devices included.</summary>
public sealed record VmConfig
{
    public CpusConfig? Cpus { get; init; }

    public MemoryConfig? Memory { get; init; }

    public required PayloadConfig Payload { get; init; }

    public IReadOnlyList<DiskConfig>? Disks { get; init; }

    public RngConfig? Rng { get; init; }

    public SerialConfig? Serial { get; init; }

    public ConsoleConfig? Console { get; init; }

    public VsockConfig? Vsock { get; init; }

    public PlatformConfig? Platform { get; init; }
}
