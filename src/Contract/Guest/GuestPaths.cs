namespace Sealpod.Contract.Guest;

/// <summary>
/// Guest directories both sides name: the host writes them into storages and OCI specs, the agent creates and
/// mounts them.
/// </summary>
public static class GuestPaths
{
    /// <summary>The agent's root for everything it creates at run time.</summary>
    public const string Root = "/run/sealpod";

    /// <summary>Where the agent mounts block and image storages.</summary>
    public const string StorageRoot = Root + "/storage";

    /// <summary>The per-container directories for files the host copies in (hostname, resolv.conf, ...).</summary>
    public const string SharedRoot = Root + "/shared";

    /// <summary>The agent's per-container bundles.</summary>
    public const string ContainersRoot = Root + "/containers";

    /// <summary>The OCI runtime's state directory.</summary>
    public const string RuntimeStateRoot = Root + "/runtime";

    /// <summary>Kata's local storages: the pod's emptyDir volumes, <c>&lt;root&gt;/&lt;volume&gt;</c>.</summary>
    public const string LocalStorageRoot = "/run/kata-containers/sandbox/local";

    /// <summary>Kata's virtio-fs mount point, where the host's shared directory appears.</summary>
    public const string VirtioFsMountPoint = "/run/kata-containers/shared/containers";

    /// <summary>Where the agent writes the Init-Data files (CoCo's path).</summary>
    /// <summary>The pause container's root filesystem in the guest image (the pause program as /pause), as Kata's /pause_bundle.</summary>
    public const string PauseRootfs = "/pause_bundle/rootfs";

    public const string InitDataDirectory = "/run/confidential-containers/initdata";

    /// <summary>A container's root filesystem mount.</summary>
    public static string ContainerRootfs(string containerId) => $"{StorageRoot}/{containerId}/rootfs";

    /// <summary>A shared read-only image mount, named by the first 16 hex digits of its digest.</summary>
    public static string ImageMount(string digest) => $"{StorageRoot}/images/{digest[..16]}";

    /// <summary>A container's directory under <see cref="SharedRoot"/>.</summary>
    public static string SharedDirectory(string containerId) => $"{SharedRoot}/{containerId}";
}
