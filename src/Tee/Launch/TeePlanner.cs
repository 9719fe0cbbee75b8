namespace Sealpod.Tee.Launch;

/// <summary>
/// Decides how one sandbox's guest is protected, before anything is started: which TEE (from the configuration and,
/// as in Kata, from what the host offers), every launch value (policy, C-bit, firmware, QGS socket), and the Init-Data
/// document with its digest bound into the TEE. Everything that cannot work fails here with the key, annotation or host
/// file that decides it.
/// </summary>
/// <remarks>
/// Kata's choice: <c>confidential_guest</c> asks for a TEE and the host decides which; on AMD, <c>sev_snp_guest</c> asks
/// for SEV-SNP, otherwise SEV (SEV-ES when the policy has bit 2); <c>s390-ccw-virtio</c> means IBM SE.
/// </remarks>
public sealed partial class TeePlanner
{
    private readonly TeePlannerOptions _options;

    /// <summary>Creates a planner for this host, or the one <paramref name="options"/> describe.</summary>
    public TeePlanner(TeePlannerOptions? options = null)
    {
        _options = options ?? new TeePlannerOptions();
    }

    /// <summary>Plans the launch.</summary>
    /// <exception cref="TeeConfigurationException">Malformed Init-Data, or a TEE combination that cannot launch.</exception>
    /// <exception cref="TeeHostUnsupportedException">The TEE the configuration needs is not available on this host.</exception>
    public TeePlan Plan(HypervisorConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var initData = DecodeInitData(config);
        if (!config.ConfidentialGuest)
        {
            return new TeePlan(TeeLaunch.None, initData);
        }

        var section = config is QemuConfig ? "hypervisor.qemu" : "hypervisor.clh";
        var decision = Decide(config);
        TeeLaunch launch = decision.Kind switch
        {
            ProtectionKind.SecureExecution => PlanSecureExecution(decision, initData),
            ProtectionKind.SevSnp => PlanSnp(config, initData),
            ProtectionKind.Tdx => PlanTdx(config, section, initData),
            ProtectionKind.Sev or ProtectionKind.SevEs => PlanSev(config, section, initData),
            _ when decision.HostChecks.Any(c => c is { Kind: ProtectionKind.SecureExecution, IsSupported: true }) => throw new TeeConfigurationException(
                $"{section}.machine_type",
                "this host offers IBM Secure Execution, which needs machine_type = \"s390-ccw-virtio\""),
            _ => throw new TeeHostUnsupportedException($"{section}.confidential_guest", decision.HostChecks),
        };
        return new TeePlan(launch, initData);
    }

    private static InitDataDocument? DecodeInitData(HypervisorConfig config)
    {
        if (string.IsNullOrEmpty(config.CcInitData))
        {
            return null;
        }

        try
        {
            return InitDataAnnotation.Decode(config.CcInitData);
        }
        catch (InitDataException e)
        {
            throw new TeeConfigurationException(InitDataAnnotation.Name, e.Message, e);
        }
    }

    private SevSnpLaunch PlanSnp(HypervisorConfig config, InitDataDocument? initData)
    {
        TeeHostSupport.Check(ProtectionKind.SevSnp, _options.ProbeRoot).ThrowIfUnsupported();
        var encryption = EncryptionBits(ProtectionKind.SevSnp);
        var launch = new SevSnpLaunch
        {
            Policy = config.SnpGuestPolicy,
            CBitPosition = encryption.CBitPosition,
            ReducedPhysBits = encryption.ReducedPhysBits,
            Firmware = config.Firmware,
            InitData = initData?.Digest,
        };
        return config switch
        {
            QemuConfig q => launch with
            {
                IdBlock = NullIfEmpty(q.SnpIdBlock),
                IdAuth = NullIfEmpty(q.SnpIdAuth),
                CertsPath = NullIfEmpty(q.SnpCertsPath),
            },
            CloudHypervisorConfig clh => launch with { Igvm = clh.Igvm },
            _ => launch,
        };
    }

    private TdxLaunch PlanTdx(HypervisorConfig config, string section, InitDataDocument? initData)
    {
        if (config is QemuConfig { GuestPreAttestation: true })
        {
            throw new TeeConfigurationException($"{section}.guest_pre_attestation", "is SEV pre-attestation with simple-kbs, but this host launches TDX guests; set it to false");
        }

        if (config is CloudHypervisorConfig && initData is not null)
        {
            // Its API has no MRCONFIGID: the guest would find the digest missing from its quote and power off.
            throw new TeeConfigurationException(
                InitDataAnnotation.Name,
                "Cloud Hypervisor cannot set TDX MRCONFIGID, so Init-Data would not be bound; launch TDX guests with Init-Data with [hypervisor.qemu]");
        }

        var port = config is QemuConfig q ? q.TdxQuoteGenerationServiceSocketPort : 0;
        QuoteGenerationSocket qgs = port switch
        {
            0 when File.Exists(Path.Join(_options.ProbeRoot, QuoteGenerationSocket.DefaultUnixPath.TrimStart('/')))
                => new UnixQuoteGenerationSocket(QuoteGenerationSocket.DefaultUnixPath),
            0 => new VsockQuoteGenerationSocket(QuoteGenerationSocket.HostCid, QuoteGenerationSocket.DefaultVsockPort),
            _ => new VsockQuoteGenerationSocket(QuoteGenerationSocket.HostCid, (uint)port),
        };
        return new TdxLaunch { Firmware = config.Firmware, QuoteGeneration = qgs, InitData = initData?.Digest };
    }

    private SevLaunch PlanSev(HypervisorConfig config, string section, InitDataDocument? initData)
    {
        if (config is not QemuConfig q)
        {
            throw new TeeConfigurationException(
                $"{section}.sev_snp_guest",
                "this host offers AMD SEV, which Cloud Hypervisor cannot launch; set sev_snp_guest = true (with igvm) on an SEV-SNP host, or use [hypervisor.qemu]");
        }

        var es = (q.SevGuestPolicy & SevLaunch.EsPolicyBit) != 0;
        var kind = es ? ProtectionKind.SevEs : ProtectionKind.Sev;
        TeeHostSupport.Check(kind, _options.ProbeRoot).ThrowIfUnsupported();
        RefuseUnboundInitData(initData, kind);
        var encryption = EncryptionBits(kind);
        return SevLaunch.From(q, encryption.CBitPosition, encryption.ReducedPhysBits);
    }

    /// <summary>
    /// SEV, SEV-ES and IBM SE reports have no field the host can fill at launch, so the guest could not tell the
    /// Init-Data it reads from one the host swapped; delivering it anyway would look bound and not be.
    /// </summary>
    private static void RefuseUnboundInitData(InitDataDocument? initData, ProtectionKind kind)
    {
        if (initData is not null)
        {
            throw new TeeConfigurationException(
                InitDataAnnotation.Name,
                $"{TeeNames.Describe(kind)} cannot bind Init-Data into its attestation (only SEV-SNP HOST_DATA and TDX MRCONFIGID can); remove the annotation or launch an SEV-SNP or TDX guest");
        }
    }

    private AmdMemoryEncryption EncryptionBits(ProtectionKind kind)
    {
        var encryption = AmdMemoryEncryption.Read(_options.Cpuid);
        if (!encryption.HasEncryptionBit)
        {
            new TeeHostCheck(kind, false, "CPUID leaf 0x8000001F", "reports no C-bit position (EBX[5:0] is 0)").ThrowIfUnsupported();
        }

        return encryption;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
