using Sealpod.Config.Toml;
using Sealpod.Tee;
using Sealpod.Tee.Launch;

namespace Sealpod.HostCheck.Configuration;

/// <summary>
/// Loads configurations with the shim's own loader (Sealpod.Config: search order, config.d drop-ins, validation),
/// so <c>sealpod check</c> judges exactly what the shim would run.
/// </summary>
public sealed class SealpodConfigLoader(ConfigurationLoaderOptions? options = null) : IRuntimeConfigLoader
{
    private readonly ConfigurationLoader _loader = new(options ?? new ConfigurationLoaderOptions());

    public async Task<ConfigLoadOutcome> LoadAsync(string? explicitPath, HostFacts? host, CancellationToken cancellationToken = default)
    {
        string path;
        try
        {
            path = _loader.ResolveConfigurationPath(explicitPath);
        }
        catch (ConfigurationNotFoundException e)
        {
            // An explicit file that is missing is an error; finding nothing on the default search order is not.
            return explicitPath is null
                ? ConfigLoadOutcome.NotFound(e.Searched)
                : ConfigLoadOutcome.Failed(explicitPath, [e.Message]);
        }

        SealpodConfiguration configuration;
        try
        {
            configuration = await _loader.LoadFileAsync(path, cancellationToken).ConfigureAwait(false);
        }
        catch (ConfigurationException e)
        {
            return ConfigLoadOutcome.Failed(path, e.Errors.Select(d => d.ToString()).ToArray());
        }

        return ConfigLoadOutcome.Loaded(ToFacts(configuration, path, host));
    }

    /// <summary>Maps the shim's configuration model onto the facts the checks use.</summary>
    public static RuntimeConfigFacts ToFacts(SealpodConfiguration configuration, string path, HostFacts? host)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var hypervisor = configuration.Hypervisor;
        var section = hypervisor.Kind == HypervisorKind.Qemu ? "qemu" : "clh";
        var prefix = $"hypervisor.{section}";
        var (tee, refusal) = host is null ? (ResolveTee(configuration), null) : DecideTee(configuration, host);
        var assets = new List<ConfigAsset>
        {
            new(CheckIds.ConfigHypervisor, $"{prefix}.path", hypervisor.Path, MustExecute: true, Required: true),
            new(CheckIds.ConfigKernel, $"{prefix}.kernel", hypervisor.Kernel, MustExecute: false, Required: true),
            new(CheckIds.ConfigImage, $"{prefix}.image", hypervisor.Image, MustExecute: false, Required: false),
            new(CheckIds.ConfigInitrd, $"{prefix}.initrd", hypervisor.Initrd, MustExecute: false, Required: false),

            // Confidential guests boot through the TEE's firmware (AMDSEV.fd, TDVF); only s390x SE has none.
            new(CheckIds.ConfigFirmware, $"{prefix}.firmware", hypervisor.Firmware, MustExecute: false,
                Required: tee is GuestProtection.Snp or GuestProtection.Tdx && hypervisor.Kind == HypervisorKind.Qemu),
        };

        switch (hypervisor)
        {
            case CloudHypervisorConfig clh:
                assets.Add(new(CheckIds.ConfigIgvm, $"{prefix}.igvm", clh.Igvm, MustExecute: false, Required: hypervisor.SevSnpGuest));
                break;
            case QemuConfig qemu when tee == GuestProtection.Snp:
                assets.Add(new(CheckIds.ConfigCertChain, $"{prefix}.snp_certs_path", qemu.SnpCertsPath, MustExecute: false, Required: false));
                break;
            case QemuConfig qemu when tee.IsAmd() && qemu.GuestPreAttestation:
                // Pre-attestation sends the platform's chain to simple-kbs; without it the key broker cannot verify the launch.
                assets.Add(new(CheckIds.ConfigCertChain, $"{prefix}.sev_cert_chain", qemu.SevCertChain, MustExecute: false, Required: true));
                break;
        }

        return new RuntimeConfigFacts
        {
            Path = path,
            DropIns = configuration.SourceFiles.Skip(1).ToArray(),
            Hypervisor = section,
            HypervisorPath = hypervisor.Path.Length > 0 ? hypervisor.Path : null,
            Tee = tee,
            TeeRefusal = refusal,
            Assets = assets,
            TdxQuoteGenerationServicePort = (configuration.Qemu)?.TdxQuoteGenerationServiceSocketPort,
            DefaultVcpus = hypervisor.DefaultVcpus,
            DefaultMemoryMiB = hypervisor.DefaultMemoryMiB,
            MachineType = configuration.Qemu?.MachineType.ToString() ?? "",
            Effective = EffectiveKeys(configuration.SourceFiles),
        };
    }

    /// <summary>
    /// The TEE the shim would launch <paramref name="configuration"/> with on the probed host: the TEE planner's own
    /// decision (<see cref="TeePlanner.Decide"/>) reading the same host files, then its plan, so <c>sealpod check</c> and
    /// the shim cannot disagree. When the planner would refuse, the refusal is its message (the protection is the one it
    /// chose or, when the host offers none, the configuration's own guess, so the report points at the right remedy).
    /// </summary>
    public static (GuestProtection Tee, string? Refusal) DecideTee(SealpodConfiguration configuration, HostFacts host)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(host);
        var planner = new TeePlanner(new TeePlannerOptions { ProbeRoot = host.Probe.Root, Cpuid = new ProbeCpuid(host.Probe) });
        var decision = planner.Decide(configuration.Hypervisor);
        try
        {
            // Planning as the shim does also finds what only the launch values refuse (a C-bit CPUID does not report,
            // SEV pre-attestation on a TDX host, Cloud Hypervisor on an SEV-only host).
            planner.Plan(configuration.Hypervisor);
        }
        catch (Exception e) when (e is TeeHostUnsupportedException or TeeConfigurationException)
        {
            // With no TEE on the host the planner names none; the configuration's own keys then say which host checks
            // (and remedies) to show. Only the planner's refusal decides the verdict.
            return (decision.Kind is { } chosen ? ToGuestProtection(chosen) : ResolveTee(configuration), e.Message);
        }

        return (ToGuestProtection(decision.Kind ?? ProtectionKind.None), null);
    }

    /// <summary>Tee's protection kinds under the names <c>kata-runtime env</c> uses.</summary>
    public static GuestProtection ToGuestProtection(ProtectionKind kind) => kind switch
    {
        ProtectionKind.Sev => GuestProtection.Sev,
        ProtectionKind.SevEs => GuestProtection.SevEs,
        ProtectionKind.SevSnp => GuestProtection.Snp,
        ProtectionKind.Tdx => GuestProtection.Tdx,
        ProtectionKind.SecureExecution => GuestProtection.Se,
        _ => GuestProtection.None,
    };

    /// <summary>
    /// Which TEE a configuration asks for when no host is probed (snippets rendered for another machine). Kata's keys
    /// say it only partly: confidential_guest plus sev_snp_guest is SNP,
    /// an s390 machine is SE, TDX-only keys or TDX firmware mean TDX, SEV-only keys mean SEV (SEV-ES when the policy
    /// sets bit 2); what is left is decided by the host at launch, so this guess says SEV.
    /// </summary>
    /// <remarks>With a host, the planner decides instead (<see cref="DecideTee"/>); this guess is never used to check one.</remarks>
    public static GuestProtection ResolveTee(SealpodConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var hypervisor = configuration.Hypervisor;
        if (!hypervisor.ConfidentialGuest)
        {
            return GuestProtection.None;
        }

        if (hypervisor.SevSnpGuest)
        {
            return GuestProtection.Snp;
        }

        var qemu = configuration.Qemu;
        if (qemu is not null && qemu.MachineType.IsS390)
        {
            return GuestProtection.Se;
        }

        var written = configuration.Sources.Keys.ToHashSet(StringComparer.Ordinal);
        var sev = qemu is not null && (qemu.SevGuestPolicy & (1u << 2)) != 0 ? GuestProtection.SevEs : GuestProtection.Sev;
        if (written.Contains("hypervisor.qemu.tdx_quote_generation_service_socket_port")
            || hypervisor.Firmware.Contains("tdx", StringComparison.OrdinalIgnoreCase))
        {
            return GuestProtection.Tdx;
        }

        // SEV-only keys, or nothing: Kata lets the host decide the rest; without one, SEV is the common case.
        return sev;
    }

    /// <summary>Every key the files set, after drop-ins (later files win key by key), in dotted form with its TOML value.</summary>
    private static IReadOnlyList<KeyValuePair<string, string>> EffectiveKeys(IEnumerable<string> files)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var file in files)
        {
            TomlTable document;
            try
            {
                document = TomlReader.ParseFile(file);
            }
            catch (Exception e) when (e is TomlException or IOException or UnauthorizedAccessException)
            {
                continue;
            }

            Flatten(document, null, values, order);
        }

        return order.Select(k => new KeyValuePair<string, string>(k, values[k])).ToArray();
    }

    private static void Flatten(TomlTable table, string? prefix, Dictionary<string, string> values, List<string> order)
    {
        foreach (var (key, value) in table)
        {
            var path = prefix is null ? key : $"{prefix}.{key}";
            if (value is TomlTable child)
            {
                Flatten(child, path, values, order);
                continue;
            }

            if (!values.ContainsKey(path))
            {
                order.Add(path);
            }

            values[path] = Render(value);
        }
    }

    private static string Render(TomlValue value) => value switch
    {
        TomlString s => $"\"{s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\"",
        TomlArray a => $"[{string.Join(", ", a.Select(Render))}]",
        TomlTable t => $"{{ {string.Join(", ", t.Select(e => $"{e.Key} = {Render(e.Value)}"))} }}",
        TomlInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
