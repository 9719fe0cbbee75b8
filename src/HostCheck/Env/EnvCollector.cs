namespace Sealpod.HostCheck.Env;

/// <summary>Gathers the <c>sealpod env</c> report through the host probe.</summary>
public static class EnvCollector
{
    public const string DefaultQemu = "/usr/bin/qemu-system-x86_64";

    public static async Task<EnvReport> CollectAsync(IHostProbe probe, ConfigLoadOutcome config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(config);
        var host = HostFacts.Gather(probe);
        var versions = new List<ComponentVersion>
        {
            new("kernel", host.KernelReleaseFile.Ok ? host.KernelRelease : null, KernelVersion.ReleasePath),
        };

        var hypervisor = config.Facts?.HypervisorPath is { Length: > 0 } path ? path : DefaultQemu;
        versions.Add(await FirstLineAsync(probe, "hypervisor", hypervisor, cancellationToken).ConfigureAwait(false));
        versions.Add(await FirstLineAsync(probe, "containerd", "containerd", cancellationToken).ConfigureAwait(false));
        versions.Add(Firmware(probe));

        return new EnvReport(
            config,
            versions,
            host.Cpu.Architecture,
            host.Cpu.VendorId,
            host.Cpu.ModelName,
            host.AvailableProtections(),
            probe.Exists("/dev/kvm") && probe.OpenKvmAndCreateVm().Usable);
    }

    private static async Task<ComponentVersion> FirstLineAsync(IHostProbe probe, string component, string program, CancellationToken cancellationToken)
    {
        var source = $"{program} --version";
        if (program.Contains('/', StringComparison.Ordinal) && !probe.IsExecutable(program))
        {
            return new ComponentVersion(component, null, $"{program} (absent)");
        }

        var result = await probe.RunCommandAsync(program, ["--version"], cancellationToken).ConfigureAwait(false);
        var line = result.Succeeded ? result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.Trim() : null;
        return new ComponentVersion(component, line, result.Succeeded ? source : $"{source} ({result.Describe()})");
    }

    private static ComponentVersion Firmware(IHostProbe probe)
    {
        const string Source = "ioctl SEV_ISSUE_CMD(SEV_PLATFORM_STATUS) on /dev/sev";
        if (!probe.Exists("/dev/sev"))
        {
            return new ComponentVersion("sev-firmware", null, "/dev/sev (absent)");
        }

        var answer = probe.SevPlatformStatus();
        return answer.Status is { } status
            ? new ComponentVersion("sev-firmware", string.Create(CultureInfo.InvariantCulture, $"{status.ApiVersion} build {status.Build}"), Source)
            : new ComponentVersion("sev-firmware", null, $"{Source} ({answer.Error})");
    }
}
