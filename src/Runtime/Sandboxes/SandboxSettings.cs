namespace Sealpod.Runtime.Sandboxes;

/// <summary>The parts of the configuration a running sandbox acts on.</summary>
public sealed record SandboxSettings
{
    /// <summary><c>[runtime] create_container_timeout</c>.</summary>
    public TimeSpan CreateContainerTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the agent may take to stop a container's processes on removal.</summary>
    public TimeSpan RemoveContainerTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>[runtime] disable_guest_seccomp</c>.</summary>
    public bool DisableGuestSeccomp { get; init; } = true;

    /// <summary>
    /// How long the containers still running when the sandbox stops (SIGTERM to the shim, containerd's Shutdown) have
    /// to exit after SIGTERM before SIGKILL (Kubernetes' default termination grace is 30 s; a shim's stop is bounded by
    /// containerd's own timeouts, so less).
    /// </summary>
    public TimeSpan ContainerStopTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the guest may take to power off before the hypervisor is told to quit.</summary>
    public TimeSpan StopGracePeriod { get; init; } = TimeSpan.Zero;

    /// <summary>
    /// Whether bind mounts are shared over virtio-fs (<c>shared_fs = "virtio-fs"</c>) instead of copied. Only the QEMU
    /// driver runs a virtiofsd, and a confidential guest never shares a filesystem with the host.
    /// </summary>
    public bool VirtioFs { get; init; }

    /// <summary><c>[runtime] experimental_force_guest_pull</c> (or its annotation): every container's image is pulled in the guest.</summary>
    public bool ForceGuestPull { get; init; }

    /// <summary>Whether <paramref name="configuration"/> shares bind mounts over virtio-fs (see <see cref="VirtioFs"/>).</summary>
    public static bool UsesVirtioFs(SealpodConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.Hypervisor is QemuConfig { SharedFs: SharedFs.VirtioFs, ConfidentialGuest: false };
    }

    public static SandboxSettings From(SealpodConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return new SandboxSettings
        {
            VirtioFs = UsesVirtioFs(configuration),
            CreateContainerTimeout = configuration.Runtime.CreateContainerTimeout,
            DisableGuestSeccomp = configuration.Runtime.DisableGuestSeccomp,
            ForceGuestPull = configuration.Runtime.ExperimentalForceGuestPull,
        };
    }
}
