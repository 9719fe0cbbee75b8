namespace Sealpod.Agent;

/// <summary>
/// Where the agent keeps its state and which guest-wide duties it performs. The defaults are the
/// guest's; tests point the directories at temporary folders and leave <see cref="ManageGuest"/> off
/// so nothing host-wide (hostname, clock, CPU hot-plug) is touched.
/// </summary>
internal sealed record AgentOptions
{
    /// <summary>One bundle directory per container: config.json, pid files, runtime logs.</summary>
    public string ContainersRoot { get; init; } = GuestPaths.ContainersRoot;

    /// <summary>The OCI runtime's <c>--root</c>.</summary>
    public string RuntimeStateRoot { get; init; } = GuestPaths.RuntimeStateRoot;

    /// <summary>Upper and work directories of overlay storages that name none (on the /run tmpfs).</summary>
    public string StorageRoot { get; init; } = GuestPaths.StorageRoot;

    /// <summary>
    /// Where the pod's emptyDir volumes live (Kata's local storages, <c>/run/kata-containers/sandbox/local/&lt;volume&gt;</c>,
    /// the runtime's layout): with <see cref="StorageRoot"/>, the agent's storage roots.
    /// </summary>
    public string LocalStorageRoot { get; init; } = GuestPaths.LocalStorageRoot;

    /// <summary>
    /// Where the host's CopyFile puts each container's bind-mount sources (<c>&lt;root&gt;/&lt;container id&gt;/...</c>,
    /// the runtime's layout); removed with the container.
    /// </summary>
    public string SharedFilesRoot { get; init; } = GuestPaths.SharedRoot;

    /// <summary>CopyFile writes only below this directory (below <see cref="SharedFilesRoot"/> in a confidential guest).</summary>
    public string CopyFileRoot { get; init; } = "/run";

    /// <summary>Where the agent writes a container spec's <c>net.*</c> sysctls (<see cref="Containers.NetworkSysctls"/>); a test's own directory.</summary>
    public string ProcSysRoot { get; init; } = "/proc/sys";

    /// <summary>Where cgroupfs is mounted (cgroup v2 in the guest; v1 hierarchies are found too).</summary>
    public string CgroupMountPoint { get; init; } = "/sys/fs/cgroup";

    /// <summary>Containers get <c>/&lt;CgroupParent&gt;/&lt;id&gt;</c> unless their spec names a path.</summary>
    public string CgroupParent { get; init; } = "sealpod";

    /// <summary>The sysfs root used to resolve PCI paths of hot-plugged disks.</summary>
    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>Where disk nodes are (the guest's devtmpfs).</summary>
    public string DevRoot { get; init; } = "/dev";

    /// <summary>Where the Init-Data disk's files go for the guest components (Kata's INITDATA_PATH).</summary>
    public string InitDataDirectory { get; init; } = Sealpod.InitData.InitDataGuestFiles.DefaultDirectory;

    /// <summary>The OCI runtime binary; null finds one (see RuntimeLocator).</summary>
    public string? RuntimeBinary { get; init; }

    /// <summary><c>agent.image_pull_timeout</c>: how long an in-guest image pull may take.</summary>
    public TimeSpan ImagePullTimeout { get; init; } = TimeSpan.FromSeconds(1200);

    /// <summary><c>agent.image_registry_auth</c>: the registry credentials' URI; Init-Data's cdh.toml may name one too.</summary>
    public string? ImageRegistryAuth { get; init; }

    /// <summary>
    /// The guest image's CA bundle (Debian's path; guest/scripts/build-initrd.sh writes it from the ca-certificates
    /// package plus GUEST_EXTRA_CA): the roots a registry's TLS certificate must chain to, with Init-Data's
    /// cdh.toml <c>[image] extra_root_certificates</c>.
    /// </summary>
    public string CaBundle { get; init; } = "/etc/ssl/certs/ca-certificates.crt";

    /// <summary>The pause container's rootfs (the guest image's pause program).</summary>
    public string PauseRootfs { get; init; } = GuestPaths.PauseRootfs;

    /// <summary>How long to wait for a hot-plugged disk to appear.</summary>
    public TimeSpan DeviceTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Whether the agent owns the machine (it is PID 1 of the guest): it may set the hostname,
    /// DNS configuration and clock, and bring CPUs and memory online.
    /// </summary>
    public bool ManageGuest { get; init; }

    /// <summary>
    /// Whether the guest is confidential (see Guest/ConfidentialGuest): the host is not trusted, so without a policy
    /// the agent applies coco-default's, and what the host may make it touch is confined (Policy/ConfidentialConfinement).
    /// </summary>
    public bool Confidential { get; init; }
}
