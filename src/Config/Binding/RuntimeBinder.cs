namespace Sealpod.Config;

/// <summary>Reads <c>[runtime]</c>.</summary>
internal static class RuntimeBinder
{
    /// <summary>runtime-rs and older Go runtime keys Kata accepts and Sealpod keeps without using.</summary>
    internal static readonly FrozenSet<string> KataValidUnmodelled = new[]
    {
        "name", "hypervisor_name", "agent_name", "log_level", "use_passfd_io", "passfd_listener_port",
        "static_sandbox_default_workload_mem", "static_sandbox_default_workload_vcpus", "keep_abnormal",
        "enable_agent_watcher",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Kata's bind-mount entries: an absolute host path, optionally with <c>:ro</c> or <c>:rw</c>.</summary>
    internal static readonly StringRule BindMountRule = new(
        "an absolute host path (optionally ending in :ro or :rw)",
        v => StringRule.IsAbsolute(StripMode(v)) ? null : "an absolute host path (optionally ending in :ro or :rw)");

    public static RuntimeConfig Bind(SectionReader r, IDictionary<string, TomlValue> unmodelled)
    {
        var d = new RuntimeConfig();
        var result = d with
        {
            EnableDebug = r.Bool("enable_debug", d.EnableDebug),
            EnableTracing = r.Bool("enable_tracing", d.EnableTracing),
            JaegerEndpoint = r.String("jaeger_endpoint", d.JaegerEndpoint),
            JaegerUser = r.String("jaeger_user", d.JaegerUser),
            JaegerPassword = r.String("jaeger_password", d.JaegerPassword),
            InternetworkingModel = r.Choice("internetworking_model", d.InternetworkingModel, ConfigChoices.InternetworkingModel),
            DisableGuestSeccomp = r.Bool("disable_guest_seccomp", d.DisableGuestSeccomp),
            EnableVcpusPinning = r.Bool("enable_vcpus_pinning", d.EnableVcpusPinning),
            GuestSeLinuxLabel = r.String("guest_selinux_label", d.GuestSeLinuxLabel),
            DisableNewNetNs = r.Bool("disable_new_netns", d.DisableNewNetNs),
            SandboxCgroupOnly = r.Bool("sandbox_cgroup_only", d.SandboxCgroupOnly),
            StaticSandboxResourceMgmt = r.Bool("static_sandbox_resource_mgmt", d.StaticSandboxResourceMgmt),
            SandboxBindMounts = r.Strings("sandbox_bind_mounts", d.SandboxBindMounts, BindMountRule),
            VfioMode = r.Choice("vfio_mode", d.VfioMode, ConfigChoices.VfioMode),
            DisableGuestEmptyDir = r.Bool("disable_guest_empty_dir", d.DisableGuestEmptyDir),
            EmptyDirMode = r.Choice("emptydir_mode", d.EmptyDirMode, ConfigChoices.EmptyDirMode),
            Experimental = r.Strings("experimental", d.Experimental, StringRule.NonEmpty),
            EnablePprof = r.Bool("enable_pprof", d.EnablePprof),
            CreateContainerTimeout = r.Seconds("create_container_timeout", d.CreateContainerTimeout, 1),
            DanConf = r.AbsolutePath("dan_conf", d.DanConf),
            ExperimentalForceGuestPull = r.Bool("experimental_force_guest_pull", d.ExperimentalForceGuestPull),
            KubeletRootDir = r.AbsolutePath("kubelet_root_dir", d.KubeletRootDir),
            PodResourceApiSock = r.AbsolutePath("pod_resource_api_sock", d.PodResourceApiSock),
        };
        r.Finish(KataValidUnmodelled, unmodelled);
        return result;
    }

    internal static string StripMode(string mount) =>
        mount.EndsWith(":ro", StringComparison.Ordinal) || mount.EndsWith(":rw", StringComparison.Ordinal) ? mount[..^3] : mount;
}
