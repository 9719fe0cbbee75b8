namespace Sealpod.Config;

/// <summary><c>[runtime]</c>: sandbox-level behaviour of the runtime itself.</summary>
public sealed record RuntimeConfig
{
    /// <summary><c>enable_debug</c>.</summary>
    public bool EnableDebug { get; init; }

    /// <summary><c>enable_tracing</c>.</summary>
    public bool EnableTracing { get; init; }

    /// <summary><c>jaeger_endpoint</c>.</summary>
    public string JaegerEndpoint { get; init; } = string.Empty;

    /// <summary><c>jaeger_user</c>.</summary>
    public string JaegerUser { get; init; } = string.Empty;

    /// <summary><c>jaeger_password</c>: a secret; <see cref="ToString"/> masks it.</summary>
    public string JaegerPassword { get; init; } = string.Empty;

    /// <summary><c>internetworking_model</c>.</summary>
    public InternetworkingModel InternetworkingModel { get; init; } = InternetworkingModel.TcFilter;

    /// <summary><c>disable_guest_seccomp</c>.</summary>
    public bool DisableGuestSeccomp { get; init; } = true;

    /// <summary><c>enable_vcpus_pinning</c>.</summary>
    public bool EnableVcpusPinning { get; init; }

    /// <summary><c>guest_selinux_label</c>.</summary>
    public string GuestSeLinuxLabel { get; init; } = string.Empty;

    /// <summary><c>disable_new_netns</c>: only valid with internetworking_model "none".</summary>
    public bool DisableNewNetNs { get; init; }

    /// <summary><c>sandbox_cgroup_only</c>.</summary>
    public bool SandboxCgroupOnly { get; init; }

    /// <summary><c>static_sandbox_resource_mgmt</c>: size the VM up front, no CPU/memory hot-plug.</summary>
    public bool StaticSandboxResourceMgmt { get; init; }

    /// <summary><c>sandbox_bind_mounts</c>: host paths bind-mounted read-only into the shared directory.</summary>
    public EquatableArray<string> SandboxBindMounts { get; init; } = [];

    /// <summary><c>vfio_mode</c>.</summary>
    public VfioMode VfioMode { get; init; } = VfioMode.GuestKernel;

    /// <summary><c>disable_guest_empty_dir</c>.</summary>
    public bool DisableGuestEmptyDir { get; init; }

    /// <summary><c>emptydir_mode</c>.</summary>
    public EmptyDirMode EmptyDirMode { get; init; } = EmptyDirMode.SharedFs;

    /// <summary><c>experimental</c>: experimental feature names.</summary>
    public EquatableArray<string> Experimental { get; init; } = [];

    /// <summary><c>enable_pprof</c>.</summary>
    public bool EnablePprof { get; init; }

    /// <summary><c>create_container_timeout</c>: CreateContainer deadline, including an in-guest image pull.</summary>
    public TimeSpan CreateContainerTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>dan_conf</c>: directly attachable network config directory.</summary>
    public string DanConf { get; init; } = "/run/kata-containers/dans";

    /// <summary><c>experimental_force_guest_pull</c>: pull images in the guest even without a snapshotter asking for it.</summary>
    public bool ExperimentalForceGuestPull { get; init; }

    /// <summary><c>kubelet_root_dir</c>.</summary>
    public string KubeletRootDir { get; init; } = "/var/lib/kubelet";

    /// <summary><c>pod_resource_api_sock</c>: kubelet PodResources socket; empty disables kubelet-based cold plug.</summary>
    public string PodResourceApiSock { get; init; } = string.Empty;

    // Records print every property; the Jaeger password must never reach a log line.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("EnableDebug = ").Append(EnableDebug)
            .Append(", EnableTracing = ").Append(EnableTracing)
            .Append(", JaegerEndpoint = ").Append(JaegerEndpoint)
            .Append(", JaegerUser = ").Append(JaegerUser)
            .Append(", JaegerPassword = ").Append(JaegerPassword.Length == 0 ? string.Empty : "***")
            .Append(", InternetworkingModel = ").Append(InternetworkingModel)
            .Append(", DisableGuestSeccomp = ").Append(DisableGuestSeccomp)
            .Append(", EnableVcpusPinning = ").Append(EnableVcpusPinning)
            .Append(", GuestSeLinuxLabel = ").Append(GuestSeLinuxLabel)
            .Append(", DisableNewNetNs = ").Append(DisableNewNetNs)
            .Append(", SandboxCgroupOnly = ").Append(SandboxCgroupOnly)
            .Append(", StaticSandboxResourceMgmt = ").Append(StaticSandboxResourceMgmt)
            .Append(", SandboxBindMounts = ").Append(SandboxBindMounts)
            .Append(", VfioMode = ").Append(VfioMode)
            .Append(", DisableGuestEmptyDir = ").Append(DisableGuestEmptyDir)
            .Append(", EmptyDirMode = ").Append(EmptyDirMode)
            .Append(", Experimental = ").Append(Experimental)
            .Append(", EnablePprof = ").Append(EnablePprof)
            .Append(", CreateContainerTimeout = ").Append(CreateContainerTimeout)
            .Append(", DanConf = ").Append(DanConf)
            .Append(", ExperimentalForceGuestPull = ").Append(ExperimentalForceGuestPull)
            .Append(", KubeletRootDir = ").Append(KubeletRootDir)
            .Append(", PodResourceApiSock = ").Append(PodResourceApiSock);
        return true;
    }
}
