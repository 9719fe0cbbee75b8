namespace Sealpod.Agent.Containers;

/// <summary>
/// Turns the spec the host sent into the one the guest runs. The host describes its own world
/// (namespace paths, device numbers, labels); the guest enforces its own isolation:
/// <list type="bullet">
/// <item>new mount, pid, uts and ipc namespaces, always; namespace paths are host paths and are never
/// joined; the network namespace is the guest's (where the pod's interfaces are), so it is dropped;</item>
/// <item>the standard mounts of runc's template (/proc, /dev, /dev/pts, /dev/shm, /dev/mqueue, /sys,
/// /sys/fs/cgroup) where the spec lacks them, and runc's masked/read-only paths when it names none;</item>
/// <item>bind mounts must name guest paths; linux.devices are re-read from the guest's own nodes;</item>
/// <item>AppArmor and SELinux labels are dropped: the guest has neither; hooks never arrive here (they
/// would run guest binaries outside the container).</item>
/// <item>in a confidential guest, every mount is confined (<see cref="ConfidentialConfinement.CheckMount"/>).</item>
/// </list>
/// </summary>
internal static class SpecPolicy
{
    private static readonly string[] RequiredNamespaces = ["mount", "pid", "uts", "ipc"];

    private static readonly string[] KnownNamespaces = ["mount", "pid", "uts", "ipc", "network", "user", "cgroup", "time"];

    public static IReadOnlyList<OciMount> DefaultMounts { get; } =
    [
        new OciMount { Destination = "/proc", Type = "proc", Source = "proc", Options = ["nosuid", "noexec", "nodev"] },
        new OciMount { Destination = "/dev", Type = "tmpfs", Source = "tmpfs", Options = ["nosuid", "strictatime", "mode=755", "size=65536k"] },
        new OciMount { Destination = "/dev/pts", Type = "devpts", Source = "devpts", Options = ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"] },
        new OciMount { Destination = "/dev/shm", Type = "tmpfs", Source = "shm", Options = ["nosuid", "noexec", "nodev", "mode=1777", "size=65536k"] },
        new OciMount { Destination = "/dev/mqueue", Type = "mqueue", Source = "mqueue", Options = ["nosuid", "noexec", "nodev"] },
        new OciMount { Destination = "/sys", Type = "sysfs", Source = "sysfs", Options = ["nosuid", "noexec", "nodev", "ro"] },
        new OciMount { Destination = "/sys/fs/cgroup", Type = "cgroup", Source = "cgroup", Options = ["nosuid", "noexec", "nodev", "relatime", "ro"] },
    ];

    public static IReadOnlyList<string> DefaultMaskedPaths { get; } =
    [
        "/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys", "/proc/latency_stats", "/proc/timer_list",
        "/proc/timer_stats", "/proc/sched_debug", "/sys/firmware", "/proc/scsi",
    ];

    public static IReadOnlyList<string> DefaultReadonlyPaths { get; } =
        ["/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"];

    /// <summary>
    /// Applies the guest's rules. <paramref name="rootPath"/> is the resolved guest rootfs and
    /// <paramref name="cgroupsPath"/> the guest cgroup; <paramref name="lookupDevice"/> reads a guest
    /// device node (null when absent). <paramref name="confinement"/> is given in a confidential guest.
    /// </summary>
    public static OciSpec Apply(
        OciSpec spec, string rootPath, bool rootReadonly, string cgroupsPath, Func<string, DeviceNode?> lookupDevice, ConfidentialConfinement? confinement = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(lookupDevice);
        var process = spec.Process ?? throw new InvalidArgumentException("the OCI spec has no process");
        if (process.Args.Count == 0)
        {
            throw new InvalidArgumentException("the OCI spec's process.args is empty");
        }

        var linux = spec.Linux ?? new OciLinux { Namespaces = [] };
        var devices = Devices(linux.Devices ?? [], lookupDevice);
        if (confinement is not null)
        {
            var named = devices.Select(device => device.Path).ToList();
            foreach (var mount in spec.Mounts ?? [])
            {
                confinement.CheckMount(mount, IsBind(mount), named, path => lookupDevice(path) is not null);
            }
        }

        return spec with
        {
            Process = ApplyToProcess(process),
            Root = new OciRoot { Path = rootPath, Readonly = rootReadonly },
            Mounts = Mounts(spec.Mounts ?? []),
            Linux = linux with
            {
                Namespaces = Namespaces(linux),
                CgroupsPath = cgroupsPath,
                Devices = devices,
                MaskedPaths = linux.MaskedPaths ?? DefaultMaskedPaths,
                ReadonlyPaths = linux.ReadonlyPaths ?? DefaultReadonlyPaths,
                MountLabel = null,
            },
        };
    }

    /// <summary>The per-process rules, also applied to exec'd processes.</summary>
    public static OciProcess ApplyToProcess(OciProcess process)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (process.Args.Count == 0)
        {
            throw new InvalidArgumentException("process.args is empty");
        }

        var cwd = string.IsNullOrEmpty(process.Cwd) ? "/" : process.Cwd;
        if (!cwd.StartsWith('/'))
        {
            throw new InvalidArgumentException($"process.cwd '{process.Cwd}' is not an absolute path");
        }

        return process with { Cwd = cwd, ApparmorProfile = null, SelinuxLabel = null };
    }

    private static List<OciNamespace> Namespaces(OciLinux linux)
    {
        var result = new List<OciNamespace>();
        foreach (var ns in linux.Namespaces)
        {
            if (!KnownNamespaces.Contains(ns.Type))
            {
                throw new InvalidArgumentException($"linux.namespaces: unknown namespace type '{ns.Type}'");
            }

            if (ns.Type == "network" || result.Any(existing => existing.Type == ns.Type))
            {
                continue;
            }

            if (ns.Type == "user" && (!string.IsNullOrEmpty(ns.Path) || (linux.UidMappings ?? []).Count == 0))
            {
                continue; // Joining is not allowed, and a new user namespace without mappings cannot work.
            }

            result.Add(new OciNamespace { Type = ns.Type });
        }

        foreach (var required in RequiredNamespaces)
        {
            if (!result.Any(ns => ns.Type == required))
            {
                result.Add(new OciNamespace { Type = required });
            }
        }

        return result;
    }

    private static List<OciMount> Mounts(IReadOnlyList<OciMount> mounts)
    {
        var result = new List<OciMount>();
        foreach (var standard in DefaultMounts)
        {
            result.Add(mounts.FirstOrDefault(mount => SameDestination(mount, standard.Destination)) ?? standard);
        }

        foreach (var mount in mounts)
        {
            if (DefaultMounts.Any(standard => SameDestination(mount, standard.Destination)))
            {
                continue;
            }

            if (string.IsNullOrEmpty(mount.Destination) || !mount.Destination.StartsWith('/'))
            {
                throw new InvalidArgumentException($"mounts: destination '{mount.Destination}' is not an absolute path");
            }

            if (IsBind(mount) && (string.IsNullOrEmpty(mount.Source) || !mount.Source.StartsWith('/') || DeviceNode.TryReadFileType(mount.Source) is null))
            {
                throw new InvalidArgumentException(
                    $"mounts: the bind mount for {mount.Destination} names source '{mount.Source}', which does not exist in the guest " +
                    "(copy the file in with CopyFile, or share it through a storage, and name the guest path)");
            }

            result.Add(mount);
        }

        return result;
    }

    private static bool IsBind(OciMount mount) =>
        mount.Type == "bind" || (mount.Options ?? []).Any(option => option is "bind" or "rbind");

    private static bool SameDestination(OciMount mount, string destination) =>
        mount.Destination.TrimEnd('/') == destination;

    private static List<OciDevice> Devices(IReadOnlyList<OciDevice> devices, Func<string, DeviceNode?> lookupDevice)
    {
        var result = new List<OciDevice>();
        foreach (var device in devices)
        {
            // The host's numbers mean nothing here: use the guest's node of the same name, if any.
            if (lookupDevice(device.Path) is { } node && node.Type.ToString() == NormaliseType(device.Type))
            {
                result.Add(device with { Major = node.Major, Minor = node.Minor });
            }
        }

        return result;
    }

    private static string NormaliseType(string type) => type == "u" ? "c" : type;
}
