using Sealpod.Tee.Host;
using Sealpod.Vmm.Qemu.Capabilities;

namespace Sealpod.Vmm.Qemu;

/// <summary>
/// Timeouts and host facts for <see cref="QemuHypervisor"/>; the defaults suit production. <see cref="DriverOptions.StartTimeout"/>
/// bounds exec to an answering QMP monitor.
/// </summary>
public sealed record QemuHypervisorOptions() : DriverOptions(TimeSpan.FromSeconds(30))
{
    /// <summary>Upper bound for one QMP command (a wedged QEMU must not hang the runtime).</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the guest may take to release a disk after <c>device_del</c>.</summary>
    public TimeSpan UnplugTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The vhost-vsock device whose presence makes <see cref="AgentTransport.Auto"/> choose vsock.</summary>
    public string VhostVsockDevicePath { get; init; } = "/dev/vhost-vsock";

    /// <summary>Where vhost-net would be; NICs get vhost=on only when it exists.</summary>
    public string VhostNetDevicePath { get; init; } = "/dev/vhost-net";

    /// <summary>The host's CPUID: an SEV-ES guest's expected digest measures its signature in every VMSA.</summary>
    public ICpuid Cpuid { get; init; } = X86Cpuid.Instance;

    /// <summary>
    /// Asks QEMU binaries which TEE objects they have; share one instance across VMs so each binary is asked once per
    /// modification.
    /// </summary>
    public QemuCapabilityProbe CapabilityProbe { get; init; } = new();

    /// <summary>Creates the key broker client for SEV pre-attestation (tests substitute their own).</summary>
    public Func<SevPreAttestationSettings, ISimpleKbs> KeyBrokerFactory { get; init; } = settings => new SimpleKbsClient(settings.KbsAddress);
}
