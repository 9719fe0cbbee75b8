using System.Collections.Frozen;

namespace Sealpod.HostCheck.Checks;

/// <summary>
/// The stable check identifiers and their titles. Scripts match on the ids, so an id is never renamed or reused;
/// docs/sealpod-check.md lists every one (a test keeps the two in step).
/// </summary>
public static class CheckIds
{
    public const string CpuVirtualization = "cpu.virtualization";
    public const string KvmModule = "kvm.module";
    public const string KvmBackend = "kvm.backend";
    public const string KvmDevice = "kvm.device";
    public const string VhostModule = "vhost.module";
    public const string VhostNet = "vhost.net";
    public const string VhostVsock = "vhost.vsock";

    public const string AmdSme = "amd.sme";
    public const string AmdSev = "amd.sev";
    public const string AmdSevEs = "amd.sev-es";
    public const string AmdSevSnp = "amd.sev-snp";
    public const string AmdFirmware = "amd.sev-firmware";
    public const string AmdCbitpos = "amd.cbitpos";
    public const string AmdSnpKernel = "amd.snp-host-kernel";

    public const string IntelTdx = "intel.tdx";
    public const string IntelTdxQgs = "intel.tdx-qgs";

    public const string IbmSe = "ibm.se";

    public const string HostSelinux = "host.selinux";
    public const string HostCgroup = "host.cgroup";

    public const string ConfigLoad = "config.load";
    public const string ConfigHypervisor = "config.hypervisor";
    public const string ConfigKernel = "config.kernel";
    public const string ConfigImage = "config.image";
    public const string ConfigInitrd = "config.initrd";
    public const string ConfigFirmware = "config.firmware";
    public const string ConfigIgvm = "config.igvm";
    public const string ConfigCertChain = "config.cert-chain";
    public const string ConfigTeeObject = "config.tee-object";
    public const string ConfigTeeHost = "config.tee-host";

    public const string ContainerdConfig = "containerd.config";
    public const string ContainerdRuntime = "containerd.runtime";
    public const string ContainerdConfigPath = "containerd.config-path";
    public const string ContainerdPodAnnotations = "containerd.pod-annotations";
    public const string ContainerdShim = "containerd.shim";

    /// <summary>Every id with its title, in report order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> All { get; } =
    [
        new(CpuVirtualization, "CPU virtualization flags"),
        new(KvmModule, "kvm kernel module"),
        new(KvmBackend, "KVM backend (hardware, nested or PVM)"),
        new(KvmDevice, "/dev/kvm creates a VM"),
        new(VhostModule, "vhost kernel module"),
        new(VhostNet, "vhost_net (virtio-net acceleration)"),
        new(VhostVsock, "vhost_vsock (agent vsock transport)"),
        new(AmdSme, "AMD SME active"),
        new(AmdSev, "AMD SEV"),
        new(AmdSevEs, "AMD SEV-ES"),
        new(AmdSevSnp, "AMD SEV-SNP"),
        new(AmdFirmware, "AMD SEV firmware (/dev/sev)"),
        new(AmdCbitpos, "C-bit position (CPUID 0x8000001F)"),
        new(AmdSnpKernel, "Host kernel for SEV-SNP"),
        new(IntelTdx, "Intel TDX"),
        new(IntelTdxQgs, "TDX quote generation service"),
        new(IbmSe, "IBM Secure Execution"),
        new(HostSelinux, "SELinux not enforcing"),
        new(HostCgroup, "cgroup version"),
        new(ConfigLoad, "Configuration loads"),
        new(ConfigHypervisor, "Hypervisor binary"),
        new(ConfigKernel, "Guest kernel"),
        new(ConfigImage, "Guest image"),
        new(ConfigInitrd, "Guest initrd"),
        new(ConfigFirmware, "Guest firmware"),
        new(ConfigIgvm, "IGVM file"),
        new(ConfigCertChain, "Certificate chain"),
        new(ConfigTeeObject, "Hypervisor supports the TEE"),
        new(ConfigTeeHost, "Host offers the configured TEE"),
        new(ContainerdConfig, "containerd config.toml"),
        new(ContainerdRuntime, "containerd runtime io.containerd.sealpod.v2"),
        new(ContainerdConfigPath, "Runtime options.ConfigPath"),
        new(ContainerdPodAnnotations, "Runtime pod_annotations"),
        new(ContainerdShim, "containerd-shim-sealpod-v2 on containerd's PATH"),
    ];

    private static readonly FrozenDictionary<string, string> s_titles = All.ToFrozenDictionary(StringComparer.Ordinal);

    public static string Title(string id) =>
        s_titles.TryGetValue(id, out var title) ? title : throw new ArgumentOutOfRangeException(nameof(id), id, "unknown check id");
}
