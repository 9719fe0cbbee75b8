namespace Sealpod.Tee.Launch;

/// <summary>The choice of TEE alone, shared by <see cref="Plan"/> and <c>sealpod check</c>.</summary>
public sealed partial class TeePlanner
{
    /// <summary>
    /// Which TEE <see cref="Plan"/> would launch for <paramref name="config"/> on this host, and the host files that
    /// decided it, without planning the launch (no Init-Data, no launch values, nothing thrown for a missing TEE).
    /// </summary>
    public TeeDecision Decide(HypervisorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.ConfidentialGuest)
        {
            return One(ProtectionKind.None);
        }

        if (config is QemuConfig { MachineType.IsS390: true })
        {
            return One(ProtectionKind.SecureExecution);
        }

        if (config.SevSnpGuest)
        {
            return One(ProtectionKind.SevSnp);
        }

        var (available, checks) = TeeHostSupport.Detect(_options.ProbeRoot);
        switch (available)
        {
            case ProtectionKind.Tdx:
                return new TeeDecision(ProtectionKind.Tdx, checks);

            // An SNP host also runs SEV guests; without sev_snp_guest Kata launches those (SEV-ES when policy bit 2 is set).
            case ProtectionKind.SevSnp or ProtectionKind.Sev:
                var es = config is QemuConfig q && (q.SevGuestPolicy & SevLaunch.EsPolicyBit) != 0;
                var kind = es ? ProtectionKind.SevEs : ProtectionKind.Sev;
                return new TeeDecision(kind, [.. checks, TeeHostSupport.Check(kind, _options.ProbeRoot)]);

            // Secure Execution needs the s390 machine; nothing at all means no TEE.
            default:
                return new TeeDecision(null, checks);
        }
    }

    private TeeDecision One(ProtectionKind kind) => new(kind, [TeeHostSupport.Check(kind, _options.ProbeRoot)]);

    private static SecureExecutionLaunch PlanSecureExecution(TeeDecision decision, InitDataDocument? initData)
    {
        decision.HostChecks[^1].ThrowIfUnsupported();
        RefuseUnboundInitData(initData, ProtectionKind.SecureExecution);
        return new SecureExecutionLaunch();
    }
}
