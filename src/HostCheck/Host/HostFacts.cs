namespace Sealpod.HostCheck.Host;

/// <summary>
/// The host facts several checks share, read once: /proc/cpuinfo, the kernel release and command line, kernel modules
/// and the guest protections KVM offers (the same files <c>kata-runtime env</c> reads).
/// </summary>
public sealed class HostFacts
{
    public const string KvmAmdParameters = "/sys/module/kvm_amd/parameters";

    public const string KvmIntelTdxParameter = "/sys/module/kvm_intel/parameters/tdx";

    /// <summary>The STFLE facility bit of the Ultravisor call, i.e. IBM Secure Execution for Linux.</summary>
    public const int SecureExecutionFacility = 158;

    private HostFacts(IHostProbe probe, FileReadResult cpuInfoFile, CpuInfo cpu, FileReadResult release, KernelCommandLine commandLine)
    {
        Probe = probe;
        CpuInfoFile = cpuInfoFile;
        Cpu = cpu;
        KernelReleaseFile = release;
        KernelRelease = release.Trimmed ?? "";
        ReleaseVersion = KernelVersion.TryParse(KernelRelease, out var version) ? version : null;
        CommandLine = commandLine;
        Modules = new KernelModules(probe, KernelRelease);
    }

    public IHostProbe Probe { get; }

    public FileReadResult CpuInfoFile { get; }

    public CpuInfo Cpu { get; }

    public FileReadResult KernelReleaseFile { get; }

    public string KernelRelease { get; }

    /// <summary>The numeric kernel version, or null when the release string does not start with one.</summary>
    public KernelVersion? ReleaseVersion { get; }

    public KernelCommandLine CommandLine { get; }

    public KernelModules Modules { get; }

    public static HostFacts Gather(IHostProbe probe)
    {
        ArgumentNullException.ThrowIfNull(probe);
        var cpuInfo = probe.ReadFile(CpuInfo.Path);
        var cmdline = probe.ReadFile(KernelCommandLine.Path);
        return new HostFacts(
            probe,
            cpuInfo,
            CpuInfo.Parse(cpuInfo.Text ?? ""),
            probe.ReadFile(KernelVersion.ReleasePath),
            cmdline.Ok ? KernelCommandLine.Parse(cmdline.Text!) : KernelCommandLine.Empty);
    }

    /// <summary>A kvm_amd/kvm_intel boolean parameter; null when the file is absent or not a boolean.</summary>
    public bool? ModuleFlag(string path) => SysfsBoolean.Parse(Probe.ReadFile(path).Text);

    /// <summary>True when the prot_virt kernel parameter asks for protected virtualization (1, on, y, yes).</summary>
    public bool ProtectedVirtualizationEnabled =>
        CommandLine.Get("prot_virt")?.ToLowerInvariant() is "1" or "on" or "y" or "yes";

    /// <summary>Whether KVM on this host can launch guests of the given kind, by Kata's rules.</summary>
    public bool Offers(GuestProtection protection) => protection switch
    {
        GuestProtection.Sev => ModuleFlag($"{KvmAmdParameters}/sev") == true,
        GuestProtection.SevEs => ModuleFlag($"{KvmAmdParameters}/sev_es") == true,
        GuestProtection.Snp => ModuleFlag($"{KvmAmdParameters}/sev_snp") == true,
        GuestProtection.Tdx => ModuleFlag(KvmIntelTdxParameter) == true,
        GuestProtection.Se => Cpu.Facilities.Contains(SecureExecutionFacility) && ProtectedVirtualizationEnabled,
        _ => true,
    };

    /// <summary>Every protection the host offers, strongest first; [None] when there is none.</summary>
    public IReadOnlyList<GuestProtection> AvailableProtections()
    {
        GuestProtection[] order = [GuestProtection.Snp, GuestProtection.Tdx, GuestProtection.Se, GuestProtection.SevEs, GuestProtection.Sev];
        var available = order.Where(Offers).ToArray();
        return available.Length == 0 ? [GuestProtection.None] : available;
    }
}
