namespace Sealpod.Tee.Host;

/// <summary>
/// Whether this host can launch a TEE guest, decided from the same files <c>kata-runtime env</c> reads: the KVM module
/// parameters that switch each technology on, <c>/dev/sev</c> for AMD, and the CPU facility plus kernel command line for
/// IBM SE. Every path is resolved under a probe root so tests can describe another host; messages always name the host
/// path (<c>/sys/module/kvm_amd/parameters/sev_snp</c>), which is what an administrator has to look at.
/// </summary>
public static class TeeHostSupport
{
    /// <summary>KVM's TDX switch (kvm_intel.tdx=1).</summary>
    public const string TdxParameter = "/sys/module/kvm_intel/parameters/tdx";

    /// <summary>KVM's SEV-SNP switch (kvm_amd.sev_snp=1).</summary>
    public const string SevSnpParameter = "/sys/module/kvm_amd/parameters/sev_snp";

    /// <summary>KVM's SEV switch (kvm_amd.sev=1).</summary>
    public const string SevParameter = "/sys/module/kvm_amd/parameters/sev";

    /// <summary>KVM's SEV-ES switch (kvm_amd.sev_es=1).</summary>
    public const string SevEsParameter = "/sys/module/kvm_amd/parameters/sev_es";

    /// <summary>The AMD secure processor device QEMU opens for every SEV flavour.</summary>
    public const string SevDevice = "/dev/sev";

    /// <summary>s390x: lists the CPU facilities; 158 is the ultravisor call facility SE needs.</summary>
    public const string CpuInfo = "/proc/cpuinfo";

    /// <summary>s390x: SE needs the host kernel booted with prot_virt=1.</summary>
    public const string KernelCommandLine = "/proc/cmdline";

    /// <summary>Checks one TEE.</summary>
    /// <param name="kind">The TEE; <see cref="ProtectionKind.None"/> is always supported.</param>
    /// <param name="probeRoot">The host root, "/" outside tests.</param>
    public static TeeHostCheck Check(ProtectionKind kind, string probeRoot = "/")
    {
        ArgumentException.ThrowIfNullOrEmpty(probeRoot);
        return kind switch
        {
            ProtectionKind.None => new TeeHostCheck(kind, true, "-", "no TEE requested"),
            ProtectionKind.Tdx => ModuleParameter(kind, probeRoot, TdxParameter, "kvm_intel", "kvm_intel.tdx=1"),
            ProtectionKind.SevSnp => Amd(kind, probeRoot, SevSnpParameter, "kvm_amd.sev_snp=1"),
            ProtectionKind.Sev => Amd(kind, probeRoot, SevParameter, "kvm_amd.sev=1"),
            ProtectionKind.SevEs => Amd(kind, probeRoot, SevEsParameter, "kvm_amd.sev_es=1"),
            ProtectionKind.SecureExecution => SecureExecution(probeRoot),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown TEE"),
        };
    }

    /// <summary>
    /// The TEE this host offers, in Kata's order (TDX, SEV-SNP, SEV, IBM SE), with every check made so a host without
    /// any can be told which files were read.
    /// </summary>
    public static (ProtectionKind Available, IReadOnlyList<TeeHostCheck> Checks) Detect(string probeRoot = "/")
    {
        var checks = new List<TeeHostCheck>();
        foreach (var kind in (ReadOnlySpan<ProtectionKind>)[ProtectionKind.Tdx, ProtectionKind.SevSnp, ProtectionKind.Sev, ProtectionKind.SecureExecution])
        {
            var check = Check(kind, probeRoot);
            checks.Add(check);
            if (check.IsSupported)
            {
                return (kind, checks);
            }
        }

        return (ProtectionKind.None, checks);
    }

    private static TeeHostCheck Amd(ProtectionKind kind, string probeRoot, string parameter, string enable)
    {
        var module = ModuleParameter(kind, probeRoot, parameter, "kvm_amd", enable);
        if (!module.IsSupported)
        {
            return module;
        }

        return File.Exists(Resolve(probeRoot, SevDevice))
            ? module
            : new TeeHostCheck(kind, false, SevDevice, "not found: the ccp driver did not create the AMD secure processor device");
    }

    private static TeeHostCheck ModuleParameter(ProtectionKind kind, string probeRoot, string parameter, string module, string enable)
    {
        string value;
        try
        {
            value = File.ReadAllText(Resolve(probeRoot, parameter)).Trim();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new TeeHostCheck(kind, false, parameter, $"not found: {module} is not loaded or has no {TeeNames.Describe(kind)} support");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new TeeHostCheck(kind, false, parameter, $"cannot be read: {e.Message}");
        }

        return IsOn(value)
            ? new TeeHostCheck(kind, true, parameter, $"reads {value}")
            : new TeeHostCheck(kind, false, parameter, $"reads {value}: {TeeNames.Describe(kind)} is disabled (boot the host with {enable})");
    }

    private static TeeHostCheck SecureExecution(string probeRoot)
    {
        var kind = ProtectionKind.SecureExecution;
        string cpuInfo;
        try
        {
            cpuInfo = File.ReadAllText(Resolve(probeRoot, CpuInfo));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new TeeHostCheck(kind, false, CpuInfo, $"cannot be read: {e.Message}");
        }

        var facilities = cpuInfo.Split('\n').FirstOrDefault(l => l.StartsWith("facilities", StringComparison.Ordinal));
        if (facilities is null || !facilities[(facilities.IndexOf(':', StringComparison.Ordinal) + 1)..]
                .Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("158", StringComparer.Ordinal))
        {
            return new TeeHostCheck(kind, false, CpuInfo, "lists no CPU facility 158 (not an IBM Z with the ultravisor)");
        }

        string commandLine;
        try
        {
            commandLine = File.ReadAllText(Resolve(probeRoot, KernelCommandLine));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new TeeHostCheck(kind, false, KernelCommandLine, $"cannot be read: {e.Message}");
        }

        var protVirt = commandLine.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .LastOrDefault(p => p[0] == "prot_virt");
        return protVirt is { Length: 2 } && protVirt[1].ToLowerInvariant() is "1" or "on" or "y" or "yes"
            ? new TeeHostCheck(kind, true, KernelCommandLine, "has prot_virt enabled")
            : new TeeHostCheck(kind, false, KernelCommandLine, "has no prot_virt=1 (boot the host with prot_virt=1)");
    }

    // KVM's boolean parameters read "Y"/"N"; integer ones (older kvm_amd.sev) read "1"/"0".
    private static bool IsOn(string value) => value is "Y" or "y" or "1";

    private static string Resolve(string probeRoot, string hostPath) => Path.Join(probeRoot, hostPath.TrimStart('/'));
}
