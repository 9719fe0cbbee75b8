namespace Sealpod.HostCheck.Checks;

/// <summary>A set of related checks run together (virtualization, AMD, containerd...).</summary>
public interface ICheckGroup
{
    Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken = default);
}
