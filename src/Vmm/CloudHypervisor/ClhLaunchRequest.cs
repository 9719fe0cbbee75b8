namespace Sealpod.Vmm.CloudHypervisor;

/// <summary>Everything the vm.create body is built from, resolved: no probing or I/O while building.</summary>
public sealed record ClhLaunchRequest
{
    /// <summary>The <c>[hypervisor.clh]</c> section, after annotations.</summary>
    public required CloudHypervisorConfig Config { get; init; }

    /// <summary>The sandbox's VM request (Init-Data disk already added by the driver).</summary>
    public required VmSpec Spec { get; init; }

    /// <summary>Where the VM's files go.</summary>
    public required ClhVmFiles Files { get; init; }

    /// <summary>The host's CPUs and memory, for "0 = host" settings.</summary>
    public required HostResources Host { get; init; }

    /// <summary>The planned TEE launch; none for an ordinary VM.</summary>
    public TeeLaunch Tee { get; init; } = TeeLaunch.None;
}
