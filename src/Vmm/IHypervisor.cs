namespace Sealpod.Vmm;

/// <summary>
/// One VM, driven by one hypervisor. An instance runs its VM once: start, use, stop, dispose.
/// Disposing always leaves no process, socket or file behind, whatever state the VM is in.
/// </summary>
public interface IHypervisor : IAsyncDisposable
{
    /// <summary>The driver's configuration name (<c>qemu</c>, <c>clh</c>).</summary>
    string Name { get; }

    /// <summary>Where the instance is in its lifecycle.</summary>
    HypervisorState State { get; }

    /// <summary>The hypervisor process id once started (what containerd's Connect and Pids report).</summary>
    int? Pid { get; }

    /// <summary>The file the guest console (serial) is written to, once started.</summary>
    string? ConsoleLogPath { get; }

    /// <summary>The file the hypervisor's own stdout/stderr go to, once started.</summary>
    string? HypervisorLogPath { get; }

    /// <summary>Where the agent client connects, once started.</summary>
    AgentEndpoint? AgentEndpoint { get; }

    /// <summary>The accelerator the VM runs with and why it was chosen, once started.</summary>
    AcceleratorDecision? Accelerator { get; }

    /// <summary>The disks attached now, boot-time and hotplugged.</summary>
    IReadOnlyCollection<BlockDeviceAttachment> BlockDevices { get; }

    /// <summary>Optional features this driver supports.</summary>
    HypervisorCapabilities Capabilities => HypervisorCapabilities.None;

    /// <summary>
    /// Launches the VM and returns once the hypervisor is controllable (and, unless
    /// <see cref="VmSpec.StartPaused"/>, the guest is running). On failure nothing is left behind and
    /// a <see cref="HypervisorStartException"/> carries the hypervisor's output.
    /// </summary>
    Task StartAsync(VmSpec spec, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops the VM: asks the guest to power off and waits up to <paramref name="gracePeriod"/>, then
    /// tells the hypervisor to quit, then kills it. Always returns after the process has been reaped;
    /// calling it on an exited VM returns the recorded exit.
    /// </summary>
    Task<VmExitInfo> StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken = default);

    /// <summary>Completes when the hypervisor process has exited and been reaped, however that happened.</summary>
    Task<VmExitInfo> WaitForExitAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a disk to the running VM and returns where the guest will find it.</summary>
    Task<BlockDeviceAttachment> HotplugBlockDeviceAsync(BlockDevice device, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} does not support block device hotplug");

    /// <summary>Removes a hotplugged disk, waiting until the guest has released it.</summary>
    Task UnplugBlockDeviceAsync(string deviceId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} does not support block device hot-unplug");

    /// <summary>
    /// The host processes the hypervisor runs besides itself (virtiofsd), once started: what joins the sandbox's host
    /// cgroup with it.
    /// </summary>
    IReadOnlyList<int> HelperPids => [];

    /// <summary>
    /// The host thread ids of the running VM's vCPUs (what alone joins the pod cgroup when the rest of the hypervisor is
    /// accounted as overhead). Empty when the driver cannot tell them.
    /// </summary>
    Task<IReadOnlyList<int>> VcpuThreadIdsAsync(CancellationToken cancellationToken = default) => Task.FromResult<IReadOnlyList<int>>([]);

    /// <summary>Stops the vCPUs.</summary>
    Task PauseAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} does not support pausing a VM");

    /// <summary>Restarts stopped vCPUs, including those of a VM started paused.</summary>
    Task ResumeAsync(CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{Name} does not support resuming a VM");
}
