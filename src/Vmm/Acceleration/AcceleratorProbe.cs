namespace Sealpod.Vmm.Acceleration;

/// <summary>
/// Decides KVM or TCG for a VM, by evidence rather than by the presence of /dev/kvm:
/// <list type="number">
/// <item>an override (<c>SEALPOD_ACCEL</c>, then the configuration) wins;</item>
/// <item>/dev/kvm must open, speak API 12 and create a VM;</item>
/// <item>a PVM-based KVM (module <c>kvm_pvm</c>) is refused outright: it only runs PVM-enabled
/// guest kernels and hangs stock ones, before printing a single line;</item>
/// <item>with a guest kernel and a boot test, KVM is chosen only if that kernel boots under it;
/// the verdict is cached per host boot, KVM modules, hypervisor binary and kernel file.</item>
/// </list>
/// Every decision carries its reason and is logged.
/// </summary>
public sealed partial class AcceleratorProbe
{
    private const string PvmModule = "kvm_pvm";

    private readonly AcceleratorProbeOptions _options;
    private readonly IGuestBootTest? _bootTest;
    private readonly ILogger _logger;

    /// <summary>Creates a probe; without <paramref name="bootTest"/> a KVM that creates VMs is trusted (after the PVM filter).</summary>
    public AcceleratorProbe(AcceleratorProbeOptions options, IGuestBootTest? bootTest = null, ILogger<AcceleratorProbe>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _bootTest = bootTest;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Decides and logs which accelerator to use and why.</summary>
    public async Task<AcceleratorDecision> DecideAsync(AcceleratorProbeRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var decision = await DecideCoreAsync(request, cancellationToken).ConfigureAwait(false);
        LogDecision(_logger, decision.Accelerator == Accelerator.Kvm ? "KVM" : "TCG", decision.Reason, decision.Source);
        return decision;
    }

    private async Task<AcceleratorDecision> DecideCoreAsync(AcceleratorProbeRequest request, CancellationToken cancellationToken)
    {
        var forced = ReadOverride(request.Preference);
        if (forced is not null)
        {
            return forced;
        }

        var kvmProblem = _options.CheckKvmDevice(_options.KvmDevicePath);
        if (kvmProblem is not null)
        {
            return Probed(Accelerator.Tcg, "KVM is not usable: " + kvmProblem);
        }

        if (Directory.Exists(Path.Combine(_options.SysModulePath, PvmModule)))
        {
            return Probed(Accelerator.Tcg,
                $"{_options.KvmDevicePath} is PVM-based (module {PvmModule} is loaded): PVM-based /dev/kvm cannot boot stock guest kernels");
        }

        if (_bootTest is null || request.KernelPath is null)
        {
            return Probed(Accelerator.Kvm, $"{_options.KvmDevicePath} creates VMs (no boot test configured)");
        }

        return await BootTestAsync(request.KernelPath, _bootTest, cancellationToken).ConfigureAwait(false);
    }

    private AcceleratorDecision? ReadOverride(AcceleratorPreference configured)
    {
        var variable = _options.GetEnvironmentVariable(AcceleratorProbeOptions.OverrideVariable);
        if (!string.IsNullOrWhiteSpace(variable))
        {
            var fromEnvironment = variable.Trim().ToLowerInvariant() switch
            {
                "kvm" => AcceleratorPreference.Kvm,
                "tcg" => AcceleratorPreference.Tcg,
                "auto" => AcceleratorPreference.Auto,
                _ => throw new HypervisorException(
                    $"environment variable {AcceleratorProbeOptions.OverrideVariable}='{variable}' is invalid: expected kvm, tcg or auto"),
            };
            return Forced(fromEnvironment, $"{AcceleratorProbeOptions.OverrideVariable}={variable.Trim()}");
        }

        return Forced(configured, "the configuration");
    }

    private static AcceleratorDecision? Forced(AcceleratorPreference preference, string by) => preference switch
    {
        AcceleratorPreference.Kvm => new AcceleratorDecision(Accelerator.Kvm, $"forced by {by}", AcceleratorDecisionSource.Override),
        AcceleratorPreference.Tcg => new AcceleratorDecision(Accelerator.Tcg, $"forced by {by}", AcceleratorDecisionSource.Override),
        _ => null,
    };

    private async Task<AcceleratorDecision> BootTestAsync(string kernelPath, IGuestBootTest bootTest, CancellationToken cancellationToken)
    {
        var cache = _options.CacheDirectory is { } dir ? new AcceleratorCache(dir) : null;
        var key = CacheKey(kernelPath, bootTest);
        if (cache?.TryRead(key) is { } cached)
        {
            return new AcceleratorDecision(cached.Accelerator, cached.Reason, AcceleratorDecisionSource.Cache);
        }

        var work = _options.CacheDirectory ?? Path.GetTempPath();
        Directory.CreateDirectory(work);
        var result = await bootTest.RunAsync(Accelerator.Kvm, kernelPath, work, cancellationToken).ConfigureAwait(false);
        var decision = result.Booted
            ? Probed(Accelerator.Kvm, $"{Path.GetFileName(kernelPath)} booted under KVM in a test boot ({result.Detail})")
            : Probed(Accelerator.Tcg, $"{Path.GetFileName(kernelPath)} did not boot under KVM in a test boot ({result.Detail})");
        try
        {
            cache?.Write(key, decision.Accelerator, decision.Reason);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            LogCacheWriteFailed(_logger, _options.CacheDirectory!, ex.Message);
        }

        return decision;
    }

    private string CacheKey(string kernelPath, IGuestBootTest bootTest)
    {
        var kernel = new FileInfo(kernelPath);
        var modules = Directory.Exists(_options.SysModulePath)
            ? string.Join(',', Directory.EnumerateDirectories(_options.SysModulePath, "kvm*").Select(Path.GetFileName).Order(StringComparer.Ordinal))
            : string.Empty;
        return string.Join('|',
            "boot=" + ReadBootId(),
            "kvm=" + _options.KvmDevicePath + "[" + modules + "]",
            "vmm=" + bootTest.Identity,
            "kernel=" + kernel.FullName + "@" + (kernel.Exists
                ? kernel.Length.ToString(CultureInfo.InvariantCulture) + "/" + kernel.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture)
                : "missing"));
    }

    private string ReadBootId()
    {
        try
        {
            return File.ReadAllText(_options.BootIdPath).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Without a boot id a verdict could outlive a reboot into a different kernel; make it unique instead.
            return "unknown-" + Guid.NewGuid().ToString("N");
        }
    }

    private static AcceleratorDecision Probed(Accelerator accelerator, string reason) =>
        new(accelerator, reason, AcceleratorDecisionSource.Probe);

    [LoggerMessage(Level = LogLevel.Information, Message = "accelerator {Accelerator}: {Reason} ({Source})")]
    private static partial void LogDecision(ILogger logger, string accelerator, string reason, AcceleratorDecisionSource source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cannot cache the accelerator decision in {Directory}: {Error}")]
    private static partial void LogCacheWriteFailed(ILogger logger, string directory, string error);
}
