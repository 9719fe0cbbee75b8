namespace Sealpod.HostCheck.Checks;

/// <summary>Intel TDX: KVM's tdx parameter (as kata-runtime env reads it) and the quote generation service socket.</summary>
public sealed class IntelTdxChecks : SyncCheckGroup
{
    /// <summary>Where QEMU connects for quotes when tdx_quote_generation_service_socket_port is 0 (Kata's rule).</summary>
    public const string QgsSocket = "/var/run/tdx-qgs/qgs.socket";

    /// <summary>The vsock address Kata falls back to when the socket is absent: host CID 2, port 4050.</summary>
    public const int QgsDefaultVsockPort = 4050;

    protected override IReadOnlyList<CheckResult> Run(CheckContext context) => [Tdx(context), Qgs(context)];

    private static CheckResult Tdx(CheckContext context)
    {
        var host = context.Host;
        if (host.Cpu.Vendor != CpuVendor.Intel)
        {
            return CheckResult.Create(CheckIds.IntelTdx, CheckStatus.Skip, "not an Intel CPU",
                [Evidence.CpuVendor(host.Cpu)]);
        }

        var value = context.Probe.ReadFile(HostFacts.KvmIntelTdxParameter);
        var evidence = new List<Evidence>
        {
            new(HostFacts.KvmIntelTdxParameter, value.Describe()),
            new($"{CpuInfo.Path} flags", host.Cpu.HasFlag("tdx_host_platform") ? "tdx_host_platform" : "no-tdx_host_platform"),
        };
        if (SysfsBoolean.Parse(value.Text) == true)
        {
            return CheckResult.Create(CheckIds.IntelTdx, CheckStatus.Pass, $"TDX enabled in KVM (kvm_intel tdx={value.Trimmed})", evidence);
        }

        var status = context.Unavailable(context.RequestedTee == GuestProtection.Tdx);
        const string Remedy = "Enable TDX in the BIOS (TME, TME-MT, TDX, SEAM loader, TME-MT/TDX key split), boot a host kernel with KVM TDX support "
            + "(upstream since Linux 6.16, or the distribution's TDX kernel) with kvm_intel.tdx=1, and check 'dmesg | grep -i tdx'.";
        if (!context.Probe.Exists("/sys/module/kvm_intel"))
        {
            return CheckResult.Create(CheckIds.IntelTdx, status, "TDX unavailable: kvm_intel is not loaded", evidence, Remedy);
        }

        return CheckResult.Create(CheckIds.IntelTdx, status,
            value.Ok ? $"TDX is disabled in KVM (kvm_intel tdx={value.Trimmed})" : "TDX unavailable: this kvm_intel has no tdx parameter",
            evidence, Remedy);
    }

    private static CheckResult Qgs(CheckContext context)
    {
        var config = context.ConfigFacts;
        if (config is null || config.Tee != GuestProtection.Tdx)
        {
            return CheckResult.Create(CheckIds.IntelTdxQgs, CheckStatus.Skip,
                config is null ? "no configuration to tell whether TDX attestation is used" : "the configuration does not use TDX", []);
        }

        var port = config.TdxQuoteGenerationServicePort ?? 0;
        var evidence = new List<Evidence> { new($"{config.Path} tdx_quote_generation_service_socket_port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (port != 0)
        {
            return CheckResult.Create(CheckIds.IntelTdxQgs, CheckStatus.Pass, $"quotes go to the QGS on vsock 2:{port} (not checkable from here)", evidence);
        }

        var exists = context.Probe.Exists(QgsSocket);
        evidence.Add(new(QgsSocket, exists ? "present" : "absent"));
        return exists
            ? CheckResult.Create(CheckIds.IntelTdxQgs, CheckStatus.Pass, $"the QGS socket {QgsSocket} exists", evidence)
            : CheckResult.Create(CheckIds.IntelTdxQgs, CheckStatus.Warn,
                $"{QgsSocket} is absent: QEMU will ask for quotes on vsock 2:{QgsDefaultVsockPort} instead", evidence,
                "Install and start Intel's Quote Generation Service (qgsd, from the DCAP packages) so attestation quotes can be produced, "
                + "or set tdx_quote_generation_service_socket_port to the vsock port your QGS listens on.");
    }
}
