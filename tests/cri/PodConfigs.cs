using Sealpod.CriHarness.V1;

namespace Sealpod.CriHarness;

/// <summary>
/// The pod and container configurations the harness sends, shaped like a kubelet's: metadata with a fresh uid,
/// the pod's own hostname and DNS settings, a log directory, namespaces in POD mode.
/// </summary>
public static class PodConfigs
{
    /// <summary>The DNS settings every harness pod gets: no resolver answers there; the tests compare the container's resolv.conf with them.</summary>
    public static DNSConfig Dns { get; } = new()
    {
        Servers = { "10.88.0.53" },
        Searches = { "sealpod-test.svc.cluster.local", "svc.cluster.local" },
        Options = { "ndots:5" },
    };

    /// <summary>The port busybox httpd listens on in the pod.</summary>
    public const int HttpPort = 80;

    /// <summary>
    /// A pod sandbox named <paramref name="name"/> (also its hostname), its logs under <paramref name="logDirectory"/>, in
    /// the pod cgroup <paramref name="cgroups"/> gives its uid (a kubelet always sets one; CRI's pod stats read it).
    /// </summary>
    public static PodSandboxConfig Pod(string name, string logDirectory, PodCgroups cgroups)
    {
        ArgumentNullException.ThrowIfNull(cgroups);
        string uid = Guid.NewGuid().ToString();
        return new()
        {
        Metadata = new PodSandboxMetadata { Name = name, Uid = uid, Namespace = "sealpod-test", Attempt = 0 },
        Hostname = name,
        LogDirectory = logDirectory,
        DnsConfig = Dns.Clone(),
        Labels = { ["app"] = name },
        Linux = new LinuxPodSandboxConfig
        {
            CgroupParent = cgroups.PodCgroup(uid),
            SecurityContext = new LinuxSandboxSecurityContext
            {
                NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Pod, Pid = NamespaceMode.Pod, Ipc = NamespaceMode.Pod },
            },
        },
        };
    }

    /// <summary>
    /// Sizes the pod the way a kubelet does for a pod whose containers ask for limits: LinuxPodSandboxConfig.resources,
    /// which containerd turns into the io.kubernetes.cri.sandbox-cpu-quota/-cpu-period/-cpu-shares/-memory annotations.
    /// </summary>
    public static PodSandboxConfig WithResources(this PodSandboxConfig pod, long cpuQuota, long cpuPeriod, long memoryBytes)
    {
        ArgumentNullException.ThrowIfNull(pod);
        pod.Linux.Resources = new LinuxContainerResources { CpuQuota = cpuQuota, CpuPeriod = cpuPeriod, CpuShares = 1024, MemoryLimitInBytes = memoryBytes };
        return pod;
    }

    /// <summary>A hostPort mapping (portmap) from the isolated namespace's <paramref name="hostPort"/> to the pod's httpd.</summary>
    public static PodSandboxConfig WithHostPort(this PodSandboxConfig pod, int hostPort)
    {
        ArgumentNullException.ThrowIfNull(pod);
        pod.PortMappings.Add(new PortMapping { Protocol = Protocol.Tcp, ContainerPort = HttpPort, HostPort = hostPort });
        return pod;
    }

    /// <summary>The container runs under the seccomp profile at <paramref name="profilePath"/> (CRI's Localhost profile type).</summary>
    public static ContainerConfig WithLocalhostSeccomp(this ContainerConfig container, string profilePath)
    {
        ArgumentNullException.ThrowIfNull(container);
        container.Linux.SecurityContext.Seccomp = new SecurityProfile { ProfileType = SecurityProfile.Types.ProfileType.Localhost, LocalhostRef = profilePath };
        return container;
    }

    /// <summary>
    /// busybox httpd serving <paramref name="page"/>, which the container itself writes to /www/index.html first. It
    /// prints one line to stdout and one to stderr before exec'ing httpd, for the log tests.
    /// </summary>
    public static ContainerConfig HttpServer(string name, string page) => new()
    {
        Metadata = new ContainerMetadata { Name = name },
        Image = new ImageSpec { Image = CriContainerd.BusyboxImage },
        Command = { "sh", "-c", "mkdir -p /www && printf '%s\\n' \"$PAGE\" > /www/index.html && echo \"httpd starting on $(hostname)\" && echo 'httpd stderr line' >&2 && exec httpd -f -p 80 -h /www" },
        Envs = { new KeyValue { Key = "PAGE", Value = page } },
        LogPath = name + ".log",
        Labels = { ["container"] = name },
        Linux = new LinuxContainerConfig { SecurityContext = new LinuxContainerSecurityContext { NamespaceOptions = new NamespaceOption { Network = NamespaceMode.Pod, Pid = NamespaceMode.Container, Ipc = NamespaceMode.Pod } } },
    };
}
