namespace Sealpod.Vmm;

/// <summary>
/// What one sandbox asks of its VM on top of the hypervisor configuration: identity, where the
/// VM's files live, extra kernel parameters and the disks present at boot.
/// </summary>
public sealed partial record VmSpec
{
    /// <summary>The sandbox id; letters, digits, '.', '-' and '_' (as containerd ids), at most 128 characters.</summary>
    public required string SandboxId { get; init; }

    /// <summary>
    /// Absolute directory for this VM's sockets and logs, owned by the driver: created if missing,
    /// emptied of what the driver made when the VM is disposed or fails to start. Keep it short:
    /// unix socket paths inside it must fit in 107 bytes.
    /// </summary>
    public required string RuntimeDirectory { get; init; }

    /// <summary>
    /// The runtime's own agent options (<c>GuestKernelParameters.ForAgent(config.Agent)</c>: agent.log, agent.trace,
    /// agent.debug_console ...), placed before the configured <c>kernel_params</c> so an administrator's value of the
    /// same name wins, as in Kata.
    /// </summary>
    public IReadOnlyList<string> AgentKernelParameters { get; init; } = [];

    /// <summary>Kernel parameters appended after the configured ones (annotations, agent options).</summary>
    public IReadOnlyList<string> ExtraKernelParameters { get; init; } = [];

    /// <summary>Disks attached at boot (for example the init-data disk).</summary>
    public IReadOnlyList<BlockDevice> BlockDevices { get; init; } = [];

    /// <summary>
    /// The host directory shared with the guest over virtio-fs (tag <see cref="VirtioFsTag"/>), or null for none. Only
    /// for <c>shared_fs = "virtio-fs"</c>: the driver starts a virtiofsd on it before the VM and stops it with the VM.
    /// </summary>
    public string? SharedDirectory { get; init; }

    /// <summary>Kata's virtio-fs tag, which the guest mounts (<c>mount -t virtiofs kataShared DIR</c>).</summary>
    public const string VirtioFsTag = "kataShared";

    /// <summary>The guest NICs, in guest order (eth0, eth1 ...): the pod network's taps; none for a VM without networking.</summary>
    public IReadOnlyList<VmNetworkInterface> NetworkInterfaces { get; init; } = [];

    /// <summary>How the agent is reached.</summary>
    public AgentTransport AgentTransport { get; init; } = AgentTransport.Auto;

    /// <summary>
    /// Start with vCPUs stopped until <see cref="IHypervisor.ResumeAsync"/>, for flows that inspect
    /// or inject into the guest before it runs (SEV pre-attestation).
    /// </summary>
    public bool StartPaused { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when the spec is unusable.</summary>
    public void Validate()
    {
        if (!SandboxIdPattern().IsMatch(SandboxId))
        {
            throw new ArgumentException(
                $"sandbox id '{SandboxId}' is invalid: expected 1-128 letters, digits, '.', '-' or '_', starting with a letter or digit",
                nameof(SandboxId));
        }

        if (!Path.IsPathFullyQualified(RuntimeDirectory))
        {
            throw new ArgumentException($"runtime directory '{RuntimeDirectory}' is not an absolute path", nameof(RuntimeDirectory));
        }

        if (SharedDirectory is not null && !Path.IsPathFullyQualified(SharedDirectory))
        {
            throw new ArgumentException($"shared directory '{SharedDirectory}' is not an absolute path", nameof(SharedDirectory));
        }

        foreach (var nic in NetworkInterfaces)
        {
            nic.Validate();
        }

        if (NetworkInterfaces.GroupBy(nic => nic.Id, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"network interface id '{duplicate.Key}' is used twice", nameof(NetworkInterfaces));
        }

        foreach (var parameter in AgentKernelParameters.Concat(ExtraKernelParameters))
        {
            if (string.IsNullOrWhiteSpace(parameter) || parameter.Any(char.IsControl))
            {
                throw new ArgumentException($"kernel parameter '{parameter}' is empty or contains control characters", nameof(ExtraKernelParameters));
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex SandboxIdPattern();
}
