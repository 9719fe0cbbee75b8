namespace Sealpod.HostCheck.Configuration;

/// <summary>
/// The part of a Sealpod runtime configuration the host checks, <c>sealpod env</c> and the snippets need,
/// after drop-ins: the files it names, the TEE it asks for and the sandbox size.
/// </summary>
public sealed record RuntimeConfigFacts
{
    /// <summary>The main configuration file.</summary>
    public required string Path { get; init; }

    /// <summary>Drop-in files merged over it, in the order applied.</summary>
    public IReadOnlyList<string> DropIns { get; init; } = [];

    /// <summary>The hypervisor section name: qemu, clh.</summary>
    public required string Hypervisor { get; init; }

    /// <summary>The hypervisor binary; null when unset.</summary>
    public string? HypervisorPath { get; init; }

    public required GuestProtection Tee { get; init; }

    /// <summary>
    /// Why the shim's TEE planner would refuse to launch this configuration on the probed host (it asks for a TEE the
    /// host cannot give it); null when it would launch, or when no host was probed.
    /// </summary>
    public string? TeeRefusal { get; init; }

    /// <summary>Files the VMM opens, in the order they are reported.</summary>
    public IReadOnlyList<ConfigAsset> Assets { get; init; } = [];

    /// <summary>tdx_quote_generation_service_socket_port (0 = the unix socket /var/run/tdx-qgs/qgs.socket).</summary>
    public int? TdxQuoteGenerationServicePort { get; init; }

    /// <summary>default_vcpus; fractional values are rounded up by the VMM, 0 or less means all host CPUs.</summary>
    public double DefaultVcpus { get; init; } = 1;

    public int DefaultMemoryMiB { get; init; } = 2048;

    public string MachineType { get; init; } = "";

    /// <summary>The effective configuration as key = value lines for <c>sealpod env</c>, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Effective { get; init; } = [];
}
