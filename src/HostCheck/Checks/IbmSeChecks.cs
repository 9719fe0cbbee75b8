namespace Sealpod.HostCheck.Checks;

/// <summary>IBM Secure Execution: facility 158 (the Ultravisor) and prot_virt on the host command line, Kata's rule.</summary>
public sealed class IbmSeChecks : SyncCheckGroup
{
    public const string UltravisorHostFile = "/sys/firmware/uv/prot_virt_host";

    protected override IReadOnlyList<CheckResult> Run(CheckContext context) => [SecureExecution(context)];

    private static CheckResult SecureExecution(CheckContext context)
    {
        var host = context.Host;
        if (host.Cpu.Architecture != CpuArchitecture.S390x)
        {
            return CheckResult.Create(CheckIds.IbmSe, CheckStatus.Skip, "not an s390x host",
                [Evidence.CpuVendor(host.Cpu)]);
        }

        var facility = host.Cpu.Facilities.Contains(HostFacts.SecureExecutionFacility);
        var evidence = new List<Evidence>
        {
            new($"{CpuInfo.Path} facilities", facility
                ? HostFacts.SecureExecutionFacility.ToString(CultureInfo.InvariantCulture)
                : $"no {HostFacts.SecureExecutionFacility} ({host.Cpu.Facilities.Count} facilities listed)"),
            new(KernelCommandLine.Path, host.CommandLine.Describe("prot_virt") ?? "no prot_virt"),
        };
        var ultravisor = context.Probe.ReadFile(UltravisorHostFile);
        if (ultravisor.Ok)
        {
            evidence.Add(new(UltravisorHostFile, ultravisor.Trimmed!));
        }

        if (host.Offers(GuestProtection.Se))
        {
            return CheckResult.Create(CheckIds.IbmSe, CheckStatus.Pass, "Secure Execution available (facility 158, prot_virt on)", evidence);
        }

        var status = context.Unavailable(context.RequestedTee == GuestProtection.Se);
        return facility
            ? CheckResult.Create(CheckIds.IbmSe, status, "the machine offers Secure Execution but the host kernel did not enable it", evidence,
                "Add prot_virt=1 to the host kernel command line (zipl: parameters=..., then zipl and reboot).")
            : CheckResult.Create(CheckIds.IbmSe, status, "facility 158 (Ultravisor) is not installed", evidence,
                "Secure Execution needs IBM z15/LinuxONE III or later with the feature enabled for the LPAR (HMC); then boot with prot_virt=1.");
    }
}
