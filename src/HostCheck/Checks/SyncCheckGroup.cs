namespace Sealpod.HostCheck.Checks;

/// <summary>A check group whose checks only read what the probe gives at once: the results are ready when it returns.</summary>
public abstract class SyncCheckGroup : ICheckGroup
{
    public Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Task.FromResult(Run(context));
    }

    /// <summary>Runs the group's checks, in the order they are reported.</summary>
    protected abstract IReadOnlyList<CheckResult> Run(CheckContext context);
}
