namespace Sealpod.Vmm.Qemu;

/// <summary>Everything the command line is built from, resolved: no probing or I/O happens while building.</summary>
public sealed record QemuLaunchRequest
{
    /// <summary>The <c>[hypervisor.qemu]</c> section, after annotations.</summary>
    public required QemuConfig Config { get; init; }

    /// <summary>The sandbox's VM request.</summary>
    public required VmSpec Spec { get; init; }

    /// <summary>The probed (or forced) accelerator.</summary>
    public required Accelerator Accelerator { get; init; }

    /// <summary>Where the VM's files go.</summary>
    public required QemuVmFiles Files { get; init; }

    /// <summary>The agent transport with its address (vsock CID or virtio-serial socket).</summary>
    public required AgentEndpoint AgentEndpoint { get; init; }

    /// <summary>The host's CPUs and memory, for "0 = host" settings.</summary>
    public required HostResources Host { get; init; }

    /// <summary>The planned TEE launch (<see cref="TeePlanner"/>); none for an ordinary VM.</summary>
    public TeeLaunch Tee { get; init; } = TeeLaunch.None;

    /// <summary>Whether the host has /dev/vhost-net: the NICs that allow it get vhost=on.</summary>
    public bool VhostNet { get; init; }

    /// <summary>The key broker's launch session for SEV pre-attestation, when <see cref="Tee"/> asks for it.</summary>
    public SevLaunchSession? SevSession { get; init; }
}
