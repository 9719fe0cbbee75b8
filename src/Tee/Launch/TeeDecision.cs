namespace Sealpod.Tee.Launch;

/// <summary>
/// Which protection a configuration gets on a host, as <see cref="TeePlanner"/> decides it before planning the launch:
/// what <c>sealpod check</c> reports, so the check and the shim cannot disagree.
/// </summary>
/// <param name="Kind">
/// The TEE the launch would use (<see cref="ProtectionKind.None"/> when <c>confidential_guest</c> is false); null when
/// the configuration asks for a TEE and the host offers none it can use.
/// </param>
/// <param name="HostChecks">The host files read to decide, the deciding one last.</param>
public sealed record TeeDecision(ProtectionKind? Kind, IReadOnlyList<TeeHostCheck> HostChecks)
{
    /// <summary>Whether the host offers <see cref="Kind"/>: the planner refuses the launch otherwise.</summary>
    public bool HostSupports => Kind is { } kind && HostChecks.Any(c => c.Kind == kind && c.IsSupported);
}
