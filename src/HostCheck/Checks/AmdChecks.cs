namespace Sealpod.HostCheck.Checks;

/// <summary>
/// AMD memory encryption: SME, SEV, SEV-ES and SEV-SNP as KVM offers them (kvm_amd parameters, as kata-runtime env
/// reads them), the CPU reports them (CPUID 0x8000001F, /proc/cpuinfo) and the firmware answers (/dev/sev), plus the
/// host kernel version SNP needs.
/// </summary>
public sealed class AmdChecks : SyncCheckGroup
{
    /// <summary>Linux's ccp driver refuses to initialise SNP on firmware older than API 1.51 (SNP_MIN_API_MAJOR/MINOR).</summary>
    public const int SnpMinimumApiMajor = 1;

    public const int SnpMinimumApiMinor = 51;

    private const string BiosRemedy = "Enable SMEE (memory encryption) and SEV in the BIOS/UEFI setup and give SEV-ES/SNP guests ASIDs (SEV-ES ASID space limit)";

    protected override IReadOnlyList<CheckResult> Run(CheckContext context)
    {
        var host = context.Host;
        if (host.Cpu.Vendor != CpuVendor.Amd)
        {
            var evidence = new[] { Evidence.CpuVendor(host.Cpu) };
            return
            [
                .. new[] { CheckIds.AmdSme, CheckIds.AmdSev, CheckIds.AmdSevEs, CheckIds.AmdSevSnp, CheckIds.AmdFirmware, CheckIds.AmdCbitpos, CheckIds.AmdSnpKernel }
                    .Select(id => CheckResult.Create(id, CheckStatus.Skip, "not an AMD CPU", evidence)),
            ];
        }

        var leaf = MemoryEncryptionLeaf.Read(context.Probe);
        var tee = context.RequestedTee;
        return
        [
            Sme(context, leaf),
            SevFeature(context, leaf, CheckIds.AmdSev, "sev", "sev", l => l.Sev, tee == GuestProtection.Sev, GuestProtection.Sev),
            SevFeature(context, leaf, CheckIds.AmdSevEs, "sev_es", "sev_es", l => l.SevEs, tee == GuestProtection.SevEs, GuestProtection.SevEs),
            SevFeature(context, leaf, CheckIds.AmdSevSnp, "sev_snp", "sev_snp", l => l.SevSnp, tee == GuestProtection.Snp, GuestProtection.Snp),
            Firmware(context, tee),
            CBitPosition(context, leaf, tee.IsAmd()),
            SnpKernel(context, tee == GuestProtection.Snp),
        ];
    }

    private static CheckResult Sme(CheckContext context, MemoryEncryptionLeaf? leaf)
    {
        var host = context.Host;
        var evidence = new List<Evidence>
        {
            new($"{CpuInfo.Path} flags", host.Cpu.HasFlag("sme") ? "sme" : "no-sme"),
            new($"cpuid 0x{MemoryEncryptionLeaf.Leaf:x8}", leaf is { } l ? $"SME={(l.Sme ? 1 : 0)}" : "leaf not available"),
            new(KernelCommandLine.Path, host.CommandLine.Describe("mem_encrypt") ?? "no mem_encrypt"),
        };

        // The kernel clears the sme flag unless SME is really on (sme_me_mask set), so the flag means "active".
        if (host.Cpu.HasFlag("sme"))
        {
            return CheckResult.Create(CheckIds.AmdSme, CheckStatus.Pass, "SME is active", evidence);
        }

        var status = context.RequestedTee.IsAmd() ? CheckStatus.Warn : context.Unavailable(required: false);
        return leaf is { Sme: true }
            ? CheckResult.Create(CheckIds.AmdSme, status, "the CPU supports SME but it is not active", evidence,
                "Optional for SEV guests: boot with mem_encrypt=on (as the SEV host guide does) to encrypt host memory too.")
            : CheckResult.Create(CheckIds.AmdSme, status, "the CPU does not report SME", evidence,
                host.Cpu.HasFlag("hypervisor")
                    ? "This host is a VM, whose CPUID hides memory encryption: SME and SEV need a bare-metal EPYC host."
                    : BiosRemedy + ", then boot with mem_encrypt=on.");
    }

    private static CheckResult SevFeature(
        CheckContext context,
        MemoryEncryptionLeaf? leaf,
        string id,
        string parameter,
        string cpuFlag,
        Func<MemoryEncryptionLeaf, bool> cpuidBit,
        bool required,
        GuestProtection protection)
    {
        var host = context.Host;
        var name = protection.ToDisplayName();
        var parameterPath = $"{HostFacts.KvmAmdParameters}/{parameter}";
        var value = context.Probe.ReadFile(parameterPath);
        var cpuSupports = (leaf is { } l && cpuidBit(l)) || host.Cpu.HasFlag(cpuFlag);
        var evidence = new List<Evidence>
        {
            new(parameterPath, value.Describe()),
            new($"cpuid 0x{MemoryEncryptionLeaf.Leaf:x8}", leaf is { } m ? m.Describe() : "leaf not available"),
            new($"{CpuInfo.Path} flags", host.Cpu.HasFlag(cpuFlag) ? cpuFlag : $"no-{cpuFlag}"),
        };

        if (SysfsBoolean.Parse(value.Text) == true)
        {
            return CheckResult.Create(id, CheckStatus.Pass, $"{name} enabled in KVM (kvm_amd {parameter}={value.Trimmed})", evidence);
        }

        var status = context.Unavailable(required);
        var kernelHint = protection == GuestProtection.Snp
            ? $"boot a host kernel >= {KernelVersion.SnpHostMinimum.Major}.{KernelVersion.SnpHostMinimum.Minor} with kvm_amd.sev_snp=1 and SEV firmware >= {SnpMinimumApiMajor}.{SnpMinimumApiMinor}."
            : $"boot with mem_encrypt=on kvm_amd.{parameter}=1 and check 'dmesg | grep -i sev'.";
        if (!context.Probe.Exists("/sys/module/kvm_amd"))
        {
            return CheckResult.Create(id, status, $"{name} unavailable: kvm_amd is not loaded", evidence,
                host.Cpu.HasFlag("hypervisor")
                    ? $"This host is a VM without kvm_amd: {name} needs a bare-metal AMD EPYC host."
                    : $"{BiosRemedy}; {kernelHint} Then modprobe kvm_amd.");
        }

        if (!value.Ok)
        {
            return CheckResult.Create(id, status, $"{name} unavailable: this kvm_amd has no {parameter} parameter (kernel {host.KernelRelease})", evidence,
                $"The host kernel predates {name} support in KVM: {kernelHint}");
        }

        if (cpuSupports)
        {
            return CheckResult.Create(id, status, $"{name} is supported by the CPU but disabled in KVM (kvm_amd {parameter}={value.Trimmed})", evidence,
                $"{BiosRemedy}; {kernelHint}");
        }

        return CheckResult.Create(id, status, $"the CPU does not offer {name} (kvm_amd {parameter}={value.Trimmed})", evidence,
            host.Cpu.HasFlag("hypervisor")
                ? $"This host is a VM, whose CPUID hides memory encryption: {name} needs a bare-metal AMD EPYC host."
                : $"{name} needs an AMD EPYC CPU ({MinimumEpyc(protection)}); on one: {BiosRemedy}.");
    }

    private static string MinimumEpyc(GuestProtection protection) => protection switch
    {
        GuestProtection.Snp => "Milan (7003) or later",
        GuestProtection.SevEs => "Rome (7002) or later",
        _ => "Naples (7001) or later",
    };

    private static CheckResult Firmware(CheckContext context, GuestProtection tee)
    {
        var required = tee.IsAmd();
        var evidence = new List<Evidence>();
        if (!context.Probe.Exists("/dev/sev"))
        {
            evidence.Add(new("/dev/sev", "absent"));
            return CheckResult.Create(CheckIds.AmdFirmware, context.Unavailable(required), "/dev/sev is absent: no SEV firmware is reachable", evidence,
                $"The ccp driver creates /dev/sev when the PSP's SEV firmware initialises: {BiosRemedy}, load ccp (modprobe ccp) and check 'dmesg | grep -i sev'.");
        }

        evidence.Add(new("/dev/sev", "present"));
        var answer = context.Probe.SevPlatformStatus();
        if (answer.Status is not { } status)
        {
            evidence.Add(new("ioctl SEV_ISSUE_CMD(SEV_PLATFORM_STATUS)", answer.Error ?? "failed"));
            return CheckResult.Create(CheckIds.AmdFirmware, required ? CheckStatus.Fail : CheckStatus.Warn,
                $"the SEV firmware did not answer PLATFORM_STATUS: {answer.Error}", evidence,
                "Run as root (/dev/sev is root-only); if it still fails, update the SEV firmware (BIOS update) and check 'dmesg | grep -i sev'.");
        }

        evidence.Add(new("ioctl SEV_ISSUE_CMD(SEV_PLATFORM_STATUS)", status.ToString()));
        if (tee == GuestProtection.Snp && !status.ApiAtLeast(SnpMinimumApiMajor, SnpMinimumApiMinor))
        {
            return CheckResult.Create(CheckIds.AmdFirmware, CheckStatus.Fail,
                $"SEV firmware API {status.ApiVersion} (build {status.Build}) is older than the {SnpMinimumApiMajor}.{SnpMinimumApiMinor} Linux needs for SNP", evidence,
                "Update the SEV firmware: a BIOS update, or the SEV firmware image from AMD's SEV developer page loaded by the ccp driver (/lib/firmware/amd/).");
        }

        return CheckResult.Create(CheckIds.AmdFirmware, CheckStatus.Pass, $"SEV firmware API {status.ApiVersion} build {status.Build} ({status.StateName})", evidence);
    }

    private static CheckResult CBitPosition(CheckContext context, MemoryEncryptionLeaf? leaf, bool required)
    {
        var source = $"cpuid 0x{MemoryEncryptionLeaf.Leaf:x8}";
        if (leaf is not { } l)
        {
            return CheckResult.Create(CheckIds.AmdCbitpos, context.Unavailable(required), "CPUID leaf 0x8000001F is not available",
                [new(source, "leaf not available")], "Memory encryption needs an AMD EPYC CPU (family 17h or later).");
        }

        Evidence[] evidence = [new(source, l.Describe())];
        if (!l.Sev || l.CBitPosition == 0)
        {
            return CheckResult.Create(CheckIds.AmdCbitpos, context.Unavailable(required), "CPUID reports no SEV memory encryption, so QEMU has no cbitpos to use", evidence,
                context.Host.Cpu.HasFlag("hypervisor")
                    ? "This host is a VM, whose CPUID hides memory encryption: SEV needs a bare-metal EPYC host."
                    : BiosRemedy + ".");
        }

        return CheckResult.Create(CheckIds.AmdCbitpos, CheckStatus.Pass, $"cbitpos={l.CBitPosition}, reduced-phys-bits={l.ReducedPhysBits}", evidence);
    }

    private static CheckResult SnpKernel(CheckContext context, bool required)
    {
        var host = context.Host;
        var minimum = KernelVersion.SnpHostMinimum;
        Evidence[] evidence = [new(KernelVersion.ReleasePath, host.KernelReleaseFile.Describe())];
        const string Remedy = "Install Linux 6.11 or later: upstream SEV-SNP host support landed in Linux 6.11 (Kata's SNP guide requires >= 6.11); "
            + "AMD's sev-utils or the CoCo fork of AMDESE/AMDSEV build such a kernel.";
        if (host.ReleaseVersion is not { } version)
        {
            return CheckResult.Create(CheckIds.AmdSnpKernel, CheckStatus.Warn, $"cannot parse the kernel release '{host.KernelRelease}'", evidence, Remedy);
        }

        if (version >= minimum)
        {
            return CheckResult.Create(CheckIds.AmdSnpKernel, CheckStatus.Pass, $"kernel {version} >= {minimum.Major}.{minimum.Minor}", evidence);
        }

        if (host.Offers(GuestProtection.Snp))
        {
            return CheckResult.Create(CheckIds.AmdSnpKernel, CheckStatus.Warn,
                $"kernel {version} predates upstream SNP host support ({minimum.Major}.{minimum.Minor}) but its kvm_amd offers SNP (an out-of-tree SNP kernel)", evidence,
                "Out-of-tree SNP host kernels use older interfaces that current QEMU/OVMF may not match: prefer " + Remedy[..1].ToLowerInvariant() + Remedy[1..]);
        }

        return CheckResult.Create(CheckIds.AmdSnpKernel, context.Unavailable(required),
            $"kernel {version} predates upstream SNP host support (Linux {minimum.Major}.{minimum.Minor})", evidence, Remedy);
    }
}
