namespace Sealpod.HostCheck.Checks;

/// <summary>
/// The runtime configuration against this host: it loads, every file it names is there and readable, the hypervisor
/// knows the TEE object the configuration needs, and the host offers that TEE.
/// </summary>
public sealed class ConfigurationChecks : ICheckGroup
{
    private static readonly string[] s_assetChecks =
    [
        CheckIds.ConfigHypervisor, CheckIds.ConfigKernel, CheckIds.ConfigImage, CheckIds.ConfigInitrd,
        CheckIds.ConfigFirmware, CheckIds.ConfigIgvm, CheckIds.ConfigCertChain,
    ];

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var outcome = context.Config;
        if (outcome?.Facts is not { } config)
        {
            var load = Load(outcome);
            var reason = load.Status == CheckStatus.Fail ? "the configuration did not load (see config.load)" : "no configuration";
            return [load, .. s_assetChecks.Append(CheckIds.ConfigTeeObject).Append(CheckIds.ConfigTeeHost)
                .Select(id => CheckResult.Create(id, CheckStatus.Skip, reason, []))];
        }

        var results = new List<CheckResult> { Load(outcome) };
        results.AddRange(s_assetChecks.Select(id => Asset(context, config, id)));
        results.Add(await TeeObjectAsync(context, config, cancellationToken).ConfigureAwait(false));
        results.Add(TeeHost(context, config));
        return results;
    }

    private static CheckResult Load(ConfigLoadOutcome? outcome)
    {
        if (outcome is null || (outcome.Facts is null && outcome.Errors.Count == 0))
        {
            var searched = outcome?.Searched ?? [];
            return CheckResult.Create(CheckIds.ConfigLoad, CheckStatus.Skip,
                "no configuration given (--config) or found on the search path",
                searched.Select(p => new Evidence("searched", p)).ToArray());
        }

        if (outcome.Facts is not { } config)
        {
            return CheckResult.Create(CheckIds.ConfigLoad, CheckStatus.Fail,
                $"{outcome.Path} has {outcome.Errors.Count} error{(outcome.Errors.Count == 1 ? "" : "s")}",
                outcome.Errors.Select(e => new Evidence(outcome.Path ?? "configuration", e)).ToArray(),
                "Fix each error listed (file:line:column, key and expected value); the shim refuses the same file.");
        }

        var evidence = new List<Evidence> { new(config.Path, $"hypervisor {config.Hypervisor}, TEE {config.Tee.ToName()}") };
        evidence.AddRange(config.DropIns.Select(d => new Evidence(d, "drop-in applied")));
        return CheckResult.Create(CheckIds.ConfigLoad, CheckStatus.Pass,
            $"{config.Path} loaded{(config.DropIns.Count > 0 ? $" with {config.DropIns.Count} drop-in(s)" : "")}", evidence);
    }

    private static CheckResult Asset(CheckContext context, RuntimeConfigFacts config, string id)
    {
        if (config.Assets.FirstOrDefault(a => a.CheckId == id) is not { } asset)
        {
            return CheckResult.Create(id, CheckStatus.Skip, $"not used with hypervisor {config.Hypervisor}", []);
        }

        var probe = context.Probe;
        if (asset.Path.Length == 0)
        {
            return asset.Required
                ? CheckResult.Create(id, CheckStatus.Fail, $"{asset.Key} is not set", [new(asset.Key, "<unset>")],
                    $"Set {asset.Key} in {config.Path} (or a drop-in) to the file's path.")
                : CheckResult.Create(id, CheckStatus.Skip, $"{asset.Key} is not set", [new(asset.Key, "<unset>")]);
        }

        var evidence = new List<Evidence> { new(asset.Key, asset.Path) };
        var exists = probe.Exists(asset.Path);
        var ok = asset.MustExecute ? probe.IsExecutable(asset.Path) : probe.IsReadable(asset.Path);
        var state = !exists ? "absent" : ok ? (asset.MustExecute ? "executable" : "readable") : (asset.MustExecute ? "not executable" : "not readable");
        evidence.Add(new(asset.Path, state));
        if (ok)
        {
            return CheckResult.Create(id, CheckStatus.Pass, asset.Path, evidence);
        }

        return CheckResult.Create(id, CheckStatus.Fail, $"{asset.Path} ({asset.Key}) is {state}", evidence,
            !exists
                ? $"Install the file at {asset.Path}, or change {asset.Key} in {config.Path} to where it is."
                : asset.MustExecute ? $"chmod +x {asset.Path}" : $"Make {asset.Path} readable by the user running the shim (root).");
    }

    private static async Task<CheckResult> TeeObjectAsync(CheckContext context, RuntimeConfigFacts config, CancellationToken cancellationToken)
    {
        if (config.Tee == GuestProtection.None)
        {
            return CheckResult.Create(CheckIds.ConfigTeeObject, CheckStatus.Skip, "the configuration asks for no TEE", []);
        }

        var objectType = config.Tee.QemuObjectType()!;
        if (config.Hypervisor != "qemu")
        {
            return CheckResult.Create(CheckIds.ConfigTeeObject, CheckStatus.Skip,
                $"{config.Hypervisor} lists no object types; {config.Tee.ToDisplayName()} support is not checked", []);
        }

        if (config.HypervisorPath is not { Length: > 0 } qemu || !context.Probe.IsExecutable(qemu))
        {
            return CheckResult.Create(CheckIds.ConfigTeeObject, CheckStatus.Skip, "the hypervisor binary cannot be run (see config.hypervisor)", []);
        }

        var help = await context.Probe.RunCommandAsync(qemu, ["-object", "help"], cancellationToken).ConfigureAwait(false);
        var source = $"{qemu} -object help";
        if (!help.Succeeded)
        {
            return CheckResult.Create(CheckIds.ConfigTeeObject, CheckStatus.Fail, $"'{source}' failed: {help.Describe()}",
                [new(source, $"{help.Describe()} {help.Stderr.Trim()}".Trim())],
                $"Run '{source}' by hand: the binary must start on this host.");
        }

        var types = help.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
        string[] teeTypes = ["sev-guest", "sev-snp-guest", "tdx-guest", "s390-pv-guest"];
        var listed = teeTypes.Select(t => types.Contains(t) ? t : $"no {t}");
        Evidence[] evidence = [new(source, string.Join(", ", listed))];
        if (types.Contains(objectType))
        {
            return CheckResult.Create(CheckIds.ConfigTeeObject, CheckStatus.Pass, $"{qemu} has {objectType}", evidence);
        }

        return CheckResult.Create(CheckIds.ConfigTeeObject, CheckStatus.Fail,
            $"{qemu} has no {objectType} object: it cannot launch {config.Tee.ToDisplayName()} guests", evidence,
            $"Install a QEMU with {objectType} ({MinimumQemu(config.Tee)}) and set hypervisor.qemu.path to it.");
    }

    private static string MinimumQemu(GuestProtection tee) => tee switch
    {
        GuestProtection.Snp => "upstream QEMU 9.1 or later",
        GuestProtection.Tdx => "upstream QEMU 10.1 or later",
        GuestProtection.Se => "QEMU 5.1 or later for s390x",
        _ => "QEMU 2.12 or later",
    };

    private static CheckResult TeeHost(CheckContext context, RuntimeConfigFacts config)
    {
        if (config.TeeRefusal is { } refusal && (config.Tee == GuestProtection.None || context.Host.Offers(config.Tee)))
        {
            // The shim's planner would refuse this launch for a reason other than a missing TEE (told below): its words.
            return CheckResult.Create(CheckIds.ConfigTeeHost, CheckStatus.Fail, refusal,
                [new($"{config.Path} TEE", config.Tee == GuestProtection.None ? "none the host can give" : config.Tee.ToName())],
                "Run it on a host with the TEE it needs, or use configuration-qemu-coco-dev.toml (no memory encryption) for development.");
        }

        if (config.Tee == GuestProtection.None)
        {
            return CheckResult.Create(CheckIds.ConfigTeeHost, CheckStatus.Skip, "the configuration asks for no TEE", []);
        }

        var available = context.Host.AvailableProtections();
        Evidence[] evidence =
        [
            new($"{config.Path} TEE", config.Tee.ToName()),
            new("host guest protections", string.Join(", ", available.Select(p => p.ToName()))),
        ];
        if (context.Host.Offers(config.Tee))
        {
            return CheckResult.Create(CheckIds.ConfigTeeHost, CheckStatus.Pass, $"the host offers {config.Tee.ToDisplayName()}", evidence);
        }

        var alternatives = available[0] == GuestProtection.None
            ? "this host offers no TEE: use configuration-qemu-coco-dev.toml (no memory encryption) for development"
            : $"this host offers {string.Join(", ", available.Select(p => p.ToDisplayName()))}: use a configuration for one of those";
        return CheckResult.Create(CheckIds.ConfigTeeHost, CheckStatus.Fail,
            $"the configuration asks for {config.Tee.ToDisplayName()}, which this host does not offer", evidence,
            $"Run it on a host with {config.Tee.ToDisplayName()} (see the {TeeCheckId(config.Tee)} check), or {alternatives}.");
    }

    private static string TeeCheckId(GuestProtection tee) => tee switch
    {
        GuestProtection.Sev => CheckIds.AmdSev,
        GuestProtection.SevEs => CheckIds.AmdSevEs,
        GuestProtection.Snp => CheckIds.AmdSevSnp,
        GuestProtection.Tdx => CheckIds.IntelTdx,
        _ => CheckIds.IbmSe,
    };
}
