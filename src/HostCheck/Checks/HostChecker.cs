namespace Sealpod.HostCheck.Checks;

/// <summary>Runs every check group in report order and assembles the report.</summary>
public sealed class HostChecker
{
    private readonly IReadOnlyList<ICheckGroup> _groups;

    public HostChecker()
        : this([new VirtualizationChecks(), new AmdChecks(), new IntelTdxChecks(), new IbmSeChecks(),
                new HostPolicyChecks(), new ConfigurationChecks(), new ContainerdChecks()])
    {
    }

    public HostChecker(IReadOnlyList<ICheckGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        _groups = groups;
    }

    public async Task<CheckReport> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var results = new List<CheckResult>();
        foreach (var group in _groups)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.AddRange(await group.RunAsync(context, cancellationToken).ConfigureAwait(false));
        }

        var host = context.Host;
        return new CheckReport(
            host.KernelRelease,
            host.Cpu.Architecture,
            host.Cpu.VendorId,
            host.Cpu.ModelName,
            host.AvailableProtections(),
            context.ConfigFacts?.Path ?? context.Config?.Path,
            context.ContainerdConfigPath,
            results);
    }
}
